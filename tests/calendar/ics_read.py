"""Reads an .ics file with the `icalendar` package (a real RFC 5545 parser, not ours) and prints, as JSON,
the calendar's name and time zone and every event: uid, start, end (all-day dates), summary, sequence."""
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
events = []
for e in cal.walk("VEVENT"):
    start, end = e.decoded("DTSTART"), e.decoded("DTEND")
    events.append({
        "uid": str(e["UID"]),
        "start": start.isoformat(),
        "end": end.isoformat(),
        # datetime.date, not datetime.datetime: all-day events.
        "all_day": type(start).__name__ == "date" and type(end).__name__ == "date",
        "summary": str(e["SUMMARY"]),
        "sequence": int(e.get("SEQUENCE", 0)),
    })
json.dump({
    "name": str(cal.get("X-WR-CALNAME", "")),
    "timezone": str(cal.get("X-WR-TIMEZONE", "")),
    "events": events,
}, sys.stdout, ensure_ascii=False)
