"""An iCalendar file (RFC 5545) with one event per session of a course, attached to the confirmation mail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings

from ankommen.courses.models import Course, Session

if TYPE_CHECKING:
    from ankommen.courses.mails import RemovedSession

LINE_LIMIT = 75


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545, 3.1)."""
    parts: list[str] = []
    current = ""
    for character in line:
        if len((current + character).encode()) > (LINE_LIMIT if not parts else LINE_LIMIT - 1):
            parts.append(current)
            current = ""
        current += character
    parts.append(current)
    return [parts[0], *(f" {part}" for part in parts[1:])]


def _utc(date: datetime.date, time: datetime.time) -> str:
    local = datetime.datetime.combine(date, time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def course_calendar(
    *,
    course: Course,
    sessions: Iterable[Session],
    stamp: datetime.datetime,
    cancelled: Iterable[RemovedSession] = (),
) -> bytes:
    """The course's sessions as events; `cancelled` sessions (removed ones) as cancelled events with the same UID,
    so that a calendar which imported the earlier file drops them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ankommen//Fortbildungen//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for session in sessions:
        location = (session.online_url or "Online") if session.is_online else session.place
        lines += [
            "BEGIN:VEVENT",
            f"UID:course-{course.pk}-session-{session.pk}@ankommen",
            f"DTSTAMP:{stamp.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART:{_utc(session.date, session.starts_at)}",
            f"DTEND:{_utc(session.date, session.ends_at)}",
            f"SUMMARY:{_escape(course.title)}",
            f"LOCATION:{_escape(location)}",
            f"DESCRIPTION:{_escape(course.description[:500])}",
            "END:VEVENT",
        ]
    for gone in cancelled:
        location = "Online" if gone.is_online else gone.place
        lines += [
            "BEGIN:VEVENT",
            f"UID:course-{course.pk}-session-{gone.pk}@ankommen",
            f"DTSTAMP:{stamp.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART:{_utc(gone.date, gone.starts_at)}",
            f"DTEND:{_utc(gone.date, gone.ends_at)}",
            f"SUMMARY:{_escape(course.title)}",
            f"LOCATION:{_escape(location)}",
            "SEQUENCE:1",
            "STATUS:CANCELLED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode()
