"""A real Open311 client (the `georeport` package) against our intake server, with every JSON answer validated
against the GeoReport v2 schemas of ../shared/reference-data/open311-schema/.

Usage: client_check.py BASE_URL API_KEY SCHEMA_DIR JURISDICTION
Prints one line per check; exits non-zero on the first failure.
"""

import datetime
import json
import pathlib
import sys

import jsonschema
import referencing
import requests
from georeport import GeoReport

base, api_key, schema_dir, jurisdiction = sys.argv[1:5]
schemas = {p.name: json.loads(p.read_text()) for p in pathlib.Path(schema_dir).glob("*.json")}
registry = referencing.Registry().with_resources(
    (name, referencing.Resource.from_contents(s, default_specification=referencing.jsonschema.DRAFT4))
    for name, s in schemas.items()
)


def valid(name, instance):
    """Validates `instance` against schema file `name` (with its relative $refs) and checks date-times."""
    validator = jsonschema.Draft4Validator(schemas[name], registry=registry)
    errors = sorted(validator.iter_errors(instance), key=str)
    if errors:
        raise SystemExit(f"{name}: {errors[0].message} at {list(errors[0].path)}")
    items = instance if isinstance(instance, list) else [instance]
    for item in items:
        for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if isinstance(item, dict) and item.get(key) is not None:
                datetime.datetime.fromisoformat(item[key].replace("Z", "+00:00"))
    print(f"ok {name} ({len(items)} items)")


client = GeoReport(base, jurisdiction=jurisdiction, api_key=api_key)

services = client.get_service_list()
valid("services.json", services)
codes = [s["service_code"] for s in services]
assert "sanitation" in codes and len(codes) == 9, codes
for code in codes:
    valid("service.json", [s for s in services if s["service_code"] == code][0])

definition = client.get_service_definition("sanitation")
valid("service-definition.json", definition)

# Posting: georeport 0.3 has no create call, so the POST goes through requests, form-encoded as the spec says,
# with a GCJ-02 point as the mini-program sends it.
r = requests.post(
    f"{base}/requests.json",
    data={
        "api_key": api_key,
        "jurisdiction_id": jurisdiction,
        "service_code": "sanitation",
        "lat": "39.377669566",
        "long": "99.817423356",
        "coord_system": "gcj02",
        "description": "小区门口垃圾桶满溢，无人清运，回电 13900002222",
        "first_name": "某",
        "last_name": "李",
        "phone": "13900001111",
        "email": "li.mou@example.com",
    },
)
assert r.status_code == 201, (r.status_code, r.text)
created = r.json()
number = created[0]["service_request_id"]
print(f"ok posted {number}")

# The georeport client sends no api_key on GET: the server under test publishes the public fields
# ([open311] public_read = true), so it sees those, without the reporter's contacts.
listed = client.get_service_requests()
valid("requests.json", listed)
assert any(x["service_request_id"] == number for x in listed), "the posted request is listed"
public_text = json.dumps(listed, ensure_ascii=False)
for secret in ["13900001111", "13900002222", "li.mou", "example.com"]:
    assert secret not in public_text, f"{secret} is published: {public_text}"
print("ok public view without contacts")

keyed = requests.get(f"{base}/requests.json", params={"api_key": api_key}).json()
valid("requests.json", keyed)
mine = [x for x in keyed if x["service_request_id"] == number][0]
for field in ["service_request_id", "status", "service_name", "service_code", "description", "requested_datetime",
              "updated_datetime", "expected_datetime", "lat", "long"]:
    assert mine.get(field) is not None, (field, mine)
assert "li.mou" not in json.dumps(keyed), "the e-mail is kept with the reporter's data, never in the description"
print("ok keyed view")

one = client.get_service_request(number)
valid("request.json", one)
assert abs(one["lat"] - 39.377) < 1e-5 and abs(one["long"] - 99.816) < 1e-5, one
assert one["status"] == "open", one

by_code = client.get_service_requests(service_code="sanitation", status="open")
valid("requests.json", by_code)
assert all(x["service_code"] == "sanitation" and x["status"] == "open" for x in by_code)

extended = requests.get(f"{base}/requests/{number}.json", params={"extensions": "true", "api_key": api_key}).json()
valid("requests.json", extended)
assert extended[0]["extended_attributes"]["status_code"] == "received", extended

xml_client = GeoReport(base, jurisdiction=jurisdiction, api_key=api_key, output_format="xml")
xml_services = xml_client.get_service_list()
assert len(xml_services) == 9 and xml_services[0]["service_code"], xml_services
xml_one = xml_client.get_service_request(number)
assert xml_one["service_request_id"] == number, xml_one
print("ok xml")

bad = requests.get(f"{base}/requests.json", params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"})
assert bad.status_code == 400 and bad.json()[0]["code"] == 400, bad.text
print("ok errors")
print("all checks passed")
