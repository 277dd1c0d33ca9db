#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks a Turnout calendar with an independent parser.

Usage: ics-check.py EVENTS.json < calendar.ics

EVENTS.json is what the JSON API answered for the same events: a list page
({"items": [...]}) or one event. The calendar is parsed with python3-icalendar
and every VEVENT is compared, in order, with the event at the same place:
UID, SUMMARY, DESCRIPTION, LOCATION, DTSTART, DTEND, SEQUENCE, STATUS, GEO and
CATEGORIES. The raw text is checked too: CRLF line ends and lines of at most
75 octets. Exit status: 0 when all agree, 1 with the differences on stderr,
3 when python3-icalendar is missing.

Debian 12's icalendar 4.0.3 unescapes TEXT with chained replacements, so an
escaped backslash before "n" comes back as a newline, and it splits
CATEGORIES at escaped commas: test data avoids both (test-ics.c checks those
cases with its own unescaping).
"""

import datetime
import json
import sys

try:
    import icalendar
except ImportError:
    sys.stderr.write("python3-icalendar is missing: apt-get install python3-icalendar "
                     "(tools/install-deps installs it)\n")
    sys.exit(3)

problems = []


def problem(text):
    problems.append(text)


def check_raw(data):
    if not data.endswith(b"\r\n"):
        problem("the calendar does not end with CRLF")
    lines = data.split(b"\r\n")[:-1]
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problem(f"line {number} has a bare CR or LF: {line[:40]!r}")
        if len(line) > 75:
            problem(f"line {number} is {len(line)} octets long")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problem(f"line {number} splits a UTF-8 sequence: {line[-8:]!r}")
        if number == 1 and line.startswith((b" ", b"\t")):
            problem("the calendar starts with a continuation line")


def utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def text_of(vevent, name):
    value = vevent.get(name)
    return None if value is None else str(value)


def same(uid, name, got, expected):
    if got != expected:
        problem(f"{uid} {name}: calendar has {got!r}, API has {expected!r}")


def normalize_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_event(vevent, event):
    uid = event["id"] + "@turnout"
    same(uid, "UID", text_of(vevent, "UID"), uid)
    same(uid, "SUMMARY", text_of(vevent, "SUMMARY"), event["title"])

    description = normalize_newlines(event.get("description") or "")
    same(uid, "DESCRIPTION", text_of(vevent, "DESCRIPTION"), description or None)
    same(uid, "LOCATION", text_of(vevent, "LOCATION"), event.get("location") or None)

    starts_at, ends_at = utc(event["starts_at"]), utc(event["ends_at"])
    same(uid, "DTSTART", vevent.decoded("DTSTART"), starts_at)
    if ends_at > starts_at:
        same(uid, "DTEND", vevent.decoded("DTEND"), ends_at)
    else:
        same(uid, "DTEND", vevent.get("DTEND"), None)
    if "DURATION" in vevent:
        problem(f"{uid} has a DURATION")

    same(uid, "SEQUENCE", vevent.decoded("SEQUENCE"), event["version"] - 1)
    status = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED"}[event["status"]]
    same(uid, "STATUS", text_of(vevent, "STATUS"), status)

    geo = vevent.get("GEO")
    if event.get("lat") is None:
        same(uid, "GEO", geo, None)
    elif geo is None:
        problem(f"{uid} GEO: missing, API has {event['lat']};{event['lon']}")
    elif abs(geo.latitude - event["lat"]) > 1e-6 or abs(geo.longitude - event["lon"]) > 1e-6:
        problem(f"{uid} GEO: calendar has {geo.latitude};{geo.longitude}, "
                f"API has {event['lat']};{event['lon']}")

    categories = vevent.get("CATEGORIES")
    got = None if categories is None else [str(c) for c in categories.cats]
    same(uid, "CATEGORIES", got, [event["category"]] if event.get("category") else None)

    for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
        if name not in vevent:
            problem(f"{uid} has no {name}")
    if "updated_at" in event:
        same(uid, "LAST-MODIFIED", vevent.decoded("LAST-MODIFIED"), utc(event["updated_at"]))
    if "created_at" in event:
        same(uid, "CREATED", vevent.decoded("CREATED"), utc(event["created_at"]))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        answer = json.load(f)
    events = answer["items"] if "items" in answer else [answer]
    data = sys.stdin.buffer.read()

    check_raw(data)
    calendar = icalendar.Calendar.from_ical(data)
    same("VCALENDAR", "VERSION", text_of(calendar, "VERSION"), "2.0")
    same("VCALENDAR", "PRODID", text_of(calendar, "PRODID"), "-//Turnout//turnout-server//EN")
    same("VCALENDAR", "CALSCALE", text_of(calendar, "CALSCALE"), "GREGORIAN")
    same("VCALENDAR", "METHOD", text_of(calendar, "METHOD"), "PUBLISH")
    if not text_of(calendar, "X-WR-CALNAME"):
        problem("the calendar has no X-WR-CALNAME")

    vevents = calendar.walk("VEVENT")
    if len(vevents) != len(events):
        problem(f"the calendar has {len(vevents)} events, the API {len(events)}")
    for vevent, event in zip(vevents, events):
        check_event(vevent, event)

    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        return 1
    print(f"ok: {len(vevents)} events agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
