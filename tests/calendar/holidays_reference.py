"""Prints, as JSON, what the `chinesecalendar` package says of every day of the given years:
{"YYYY-MM-DD": {"working": bool, "festival": str|null}}, for crates/core/tests/holidays.rs to compare."""
import datetime
import json
import sys

import chinese_calendar

first, last = int(sys.argv[1]), int(sys.argv[2])
out = {}
day = datetime.date(first, 1, 1)
while day.year <= last:
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    out[day.isoformat()] = {
        "working": chinese_calendar.is_workday(day),
        "festival": name,
    }
    day += datetime.timedelta(days=1)
json.dump(out, sys.stdout)
