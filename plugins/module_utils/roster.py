# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The roster: a CSV of participants (email, team) parsed, validated and turned into Studio names.

Profile names come from the email alone, never from a row's position, so editing the roster never
renames anyone. They start with the email's local part, to be readable, and end with a hash of the
whole (lower-cased) email, so that ``niklas@amazon.com`` and ``niklas@ai.se`` get different
profiles; should two emails of one roster ever share a name, validation says so instead of
silently dropping one. Every problem is reported at once, each with its line number.

Team names become space names the same way: from the team alone, so editing the roster never renames
a team's space, and never two teams in one space (see ``space_name``).
"""

from __future__ import annotations

import base64
import codecs
import csv
import functools
import hashlib
import io
import re
import unicodedata

try:
    from anyascii import anyascii
except ImportError:  # reported when a team needs it: never a silently different name
    anyascii = None

NAME_MAX = 63  # Studio names: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
HASH_LENGTH = 8  # base32 characters: 40 bits (5 bytes)
EMAIL_MAX = 254
TEAM_MAX = 128
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The transliteration library, by the range its names are stable in (also in pyproject.toml).
ANYASCII = "anyascii>=0.3.2,<0.4"
# Unicode bidirectional controls (embeddings, overrides, isolates, marks): invisible, and able to make
# a name read differently from what it is, so neither a display name nor a team's identity keeps them.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
DISPLAY_MAX = 64  # SpaceDisplayName (NonEmptyString64) in botocore's model
ZERO_WIDTH_JOINER = "\u200d"
# Line breaks other than CR and LF (those end a CSV row): AWS's SpaceDisplayName pattern refuses them.
LINE_BREAK = re.compile("[\u0085\u2028\u2029]")
HEADER_EMAIL = ("email", "e-mail", "mail")
HEADER_TEAM = ("team", "team_name", "teamname", "group")
# Every team space's name starts with this, every private space's ends with that: the organizer's IAM
# policy names the apps of the event's spaces by them (module_utils/iam_policy.py).
TEAM_SPACE_PREFIX = "team"
PRIVATE_SPACE_SUFFIX = "-home"


class Participant:
    __slots__ = ("email", "team", "profile", "space", "line")

    def __init__(self, email: str, team: str, profile: str, space: str, line: int):
        self.email = email
        self.team = team
        self.profile = profile
        self.space = space
        self.line = line

    def as_dict(self) -> dict:
        return {"email": self.email, "team": self.team, "user_profile": self.profile, "space": self.space}


class Roster:
    def __init__(self) -> None:
        self.participants: list[Participant] = []
        self.problems: list[tuple[int, str]] = []  # (line, reason); line 0 is the file as a whole

    @property
    def teams(self) -> dict:
        """space name -> the participants in it, in roster order."""
        teams: dict[str, list[Participant]] = {}
        for participant in self.participants:
            teams.setdefault(participant.space, []).append(participant)
        return teams

    def problem_lines(self, source: str = "roster") -> list[str]:
        return [f"{source}, line {line}: {reason}" if line else f"{source}: {reason}" for line, reason in self.problems]


def _slug(text: str) -> str:
    return NOT_ALPHANUMERIC.sub("-", text.lower()).strip("-")


def _digest(text: str) -> str:
    # 5 bytes are the first 8 base32 characters of the whole digest, without encoding the rest.
    return base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()[:5]).decode("ascii").lower()


def _named(email: str, suffix: str = "") -> str:
    email = email.strip().lower()
    local = _slug(email.split("@", 1)[0]) or "user"
    room = NAME_MAX - HASH_LENGTH - 1 - len(suffix)
    return f"{local[:room].rstrip('-')}-{_digest(email)}{suffix}"


def profile_name(email: str) -> str:
    """The user profile name of an email: readable local part, then a hash of the whole email."""
    return _named(email)


def personal_space_name(email: str) -> str:
    """The name of a participant's private space: their profile name with ``-home``, kept within 63."""
    return _named(email, PRIVATE_SPACE_SUFFIX)


class MissingLibrary(RuntimeError):
    """A team name needs transliteration and the library is not installed."""


@functools.lru_cache(maxsize=1024)  # a roster repeats its teams row after row
def _team_key(team: str) -> str:
    """What makes two spellings one team: case, spaces, punctuation, NFC/NFD and bidi marks aside.

    Its letters, digits and marks, lower-cased and joined by ``-`` (for an ASCII name, today's
    slug, so ``7``, ``Team 7`` and ``team-7`` stay one team), with the ``team`` prefix; a name with
    no letter or digit at all (``!!!``, an emoji) is its own key.
    """
    text = unicodedata.normalize("NFC", BIDI_CONTROL.sub("", team))
    text = unicodedata.normalize("NFC", text.casefold()).strip()
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    slug = "-".join(kept.split())
    if not slug:
        return text
    return slug if slug.startswith(TEAM_SPACE_PREFIX) else f"{TEAM_SPACE_PREFIX}-{slug}"


def _space_of(key: str) -> str:
    if SLUG.fullmatch(key):  # ASCII letters and digits: the name it always had
        if len(key) > NAME_MAX:
            key = f"{key[: NAME_MAX - HASH_LENGTH - 1].rstrip('-')}-{_digest(key)}"
        return key
    if not key.isascii() and anyascii is None:
        raise MissingLibrary(f"needs the Python library anyascii to become a space name: pip install '{ANYASCII}'")
    # Transliterated for readability, and always hashed: two teams that transliterate alike
    # (Альфа, Alfa) keep two spaces, whichever other teams the roster holds.
    readable = _slug(key if key.isascii() else _transliterated(key))
    if not readable.startswith(TEAM_SPACE_PREFIX):
        readable = f"{TEAM_SPACE_PREFIX}-{readable}".rstrip("-")
    return f"{readable[: NAME_MAX - HASH_LENGTH - 1].rstrip('-')}-{_digest(key)}"


@functools.lru_cache(maxsize=1024)
def _transliterated(key: str) -> str:
    return anyascii(key).replace("'", "")  # anyascii writes a soft sign as '


def space_name(team: str) -> str:
    """The space name of a team, from the team alone: ``7`` -> ``team-7``, ``Альфа`` -> ``team-alfa-<hash>``.

    Spellings that differ only in case, spaces, punctuation, Unicode normal form or bidi marks
    are one team. Names of ASCII letters and digits keep the form they always had; others are
    transliterated (anyascii) and end with a hash of the team, and so do names with no letter or
    digit (``!!!`` -> ``team-<hash>``). Raises MissingLibrary if transliteration is needed and
    anyascii is not installed.
    """
    return _space_of(_team_key(team))


def display_name(team: str) -> str:
    """The team as written, without bidi controls, cut to fit SpaceDisplayName.

    Cut rather than refused: the display name is only a label (the space name is what is unique),
    and the roster allows longer team names. It is cut to 64 UTF-16 code units, so it fits whether
    AWS counts code points or UTF-16 units (undocumented: the stricter), and never inside a
    character's combining marks or a joined emoji.
    """
    text = BIDI_CONTROL.sub("", team).strip()
    utf16 = text.encode("utf-16-le")
    if len(utf16) <= 2 * DISPLAY_MAX:
        return text
    end = len(utf16[: 2 * DISPLAY_MAX].decode("utf-16-le", "ignore"))  # the characters that fit
    cut = end
    while cut > 0 and (_continues(text[cut]) or text[cut - 1] == ZERO_WIDTH_JOINER):
        cut -= 1
    return text[:cut] or text[:end]


def _continues(char: str) -> bool:
    return unicodedata.category(char).startswith("M") or char == ZERO_WIDTH_JOINER


def _decode(data: bytes, roster: Roster) -> str | None:
    if not data.strip():
        roster.problems.append((0, "the file is empty; expected one participant per line: email,team"))
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        roster.problems.append((1, "UTF-16 text (the file starts with a UTF-16 byte-order mark); save it as UTF-8 CSV"))
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        roster.problems.append((line, "a NUL byte: the file is not CSV text; save it as UTF-8 CSV"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        roster.problems.append((line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8 CSV"))
        return None


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return ";" if stripped.count(";") > stripped.count(",") else ","
    return ","


def _choices(names) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]


def _header(fields: list[str]) -> tuple[tuple[int, int] | None, str | None]:
    """(email column, team column) if this row is a header; else, if it is a header lacking one, why."""
    names = [f.strip().lower() for f in fields]
    email = next((i for i, n in enumerate(names) if n in HEADER_EMAIL), None)
    team = next((i for i, n in enumerate(names) if n in HEADER_TEAM), None)
    if email is not None and team is not None:
        return (email, team), None
    if (email is None) != (team is None) and not any("@" in f for f in fields):
        missing = (
            f"email column ({_choices(HEADER_EMAIL)})" if email is None else f"team column ({_choices(HEADER_TEAM)})"
        )
        found = ", ".join(f.strip() for f in fields)
        return None, f"the header row has no {missing}; it reads: {found[:200]}"
    return None, None


def parse_roster(data: bytes) -> Roster:
    """Parse and validate a roster; ``roster.problems`` lists everything wrong, in line order."""
    roster = Roster()
    text = _decode(data, roster)
    if text is None:
        return roster
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), skipinitialspace=True)
    columns = None
    seen: dict[str, Participant] = {}  # lower-case email -> first row
    names: dict[str, str] = {}  # profile name -> lower-case email
    spaces: dict[str, Participant] = {}  # space name -> the team's first row
    header_allowed = True
    end = 0  # the last line read: a row starts on the line after the previous row's end
    try:
        for fields in reader:
            line, end = end + 1, reader.line_num
            if not fields or all(not f.strip() for f in fields) or fields[0].lstrip().startswith("#"):
                continue
            if any("\n" in f or "\r" in f for f in fields):  # only a quoted value can hold a line break
                header_allowed = False
                runs = f" (this row runs to line {end})" if end > line else ""
                roster.problems.append((line, f'a quote (") is not closed, or a value holds a line break{runs}'))
                continue
            if header_allowed:
                header_allowed = False
                columns, problem = _header(fields)
                if problem:
                    roster.problems.append((line, problem))
                    return roster  # the columns are unknown: every row would be misread
                if columns is not None:
                    continue
            email_at, team_at = columns or (0, 1)
            email = fields[email_at].strip() if len(fields) > email_at else ""
            team = fields[team_at].strip() if len(fields) > team_at else ""
            try:
                _check_row(roster, line, email, team, seen, names, spaces)
            except MissingLibrary as exc:
                roster.problems.append((line, f"the team {team[:80]!r} {exc}"))
                return roster  # every later non-ASCII team would say the same
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"a value longer than {csv.field_size_limit()} characters"
        roster.problems.append((reader.line_num, f"not valid CSV: {reason}"))
    if not roster.participants and not roster.problems:
        roster.problems.append((0, "the file has no participants; expected one per line: email,team"))
    return roster


def _check_row(roster: Roster, line: int, email: str, team: str, seen: dict, names: dict, spaces: dict) -> None:
    problems = []
    line_break = LINE_BREAK.search(team)
    if not email:
        problems.append("missing email")
    elif len(email) > EMAIL_MAX or not EMAIL.match(email):
        problems.append(f"malformed email {email[:80]!r}")
    if not BIDI_CONTROL.sub("", team).strip():
        problems.append(f"missing team for {email[:80] or 'this row'}")
    elif len(team) > TEAM_MAX:
        problems.append(f"team name longer than {TEAM_MAX} characters")
    elif line_break:
        problems.append(f"team name holds a line break (U+{ord(line_break.group()):04X})")
    if problems:
        roster.problems.extend((line, problem) for problem in problems)
        return
    key = email.lower()
    earlier = seen.get(key)
    if earlier is not None:
        if _team_key(team) == _team_key(earlier.team):
            roster.problems.append((line, f"duplicate email {email} (also on line {earlier.line})"))
        else:
            roster.problems.append(
                (line, f"{email} is in two teams: {earlier.team!r} on line {earlier.line} and {team!r} here")
            )
        return
    profile = profile_name(email)
    if profile in names:  # 40-bit hash collision: never silently merge two people
        roster.problems.append((line, f"{email} and {names[profile]} would share the profile name {profile}"))
        return
    space = space_name(team)
    first = spaces.get(space)
    if first is not None and _team_key(first.team) != _team_key(team):  # never two teams in one space
        roster.problems.append(
            (line, f"teams {first.team!r} on line {first.line} and {team!r} here would share the space {space}")
        )
        return
    names[profile] = key
    participant = Participant(email, team, profile, space, line)
    spaces.setdefault(space, participant)
    seen[key] = participant
    roster.participants.append(participant)


def assign_domains(team_sizes: dict, domains: list) -> tuple[dict, list]:
    """Place whole teams in domains within their capacities: (space -> domain, problems).

    ``domains`` is a list of (name, capacity or None). Deterministic for a roster and a list of
    domains: largest teams first, each into the domain its name hashes to if it fits there, else
    into the domain with the most room left. A team keeps its domain as long as that one has room.
    """
    if not domains:
        return {}, ["no domain to place the teams in"]
    room = {name: (capacity if capacity is not None else float("inf")) for name, capacity in domains}
    names = [domain[0] for domain in domains]
    placed, problems = {}, []
    for space in sorted(team_sizes, key=lambda s: (-team_sizes[s], s)):
        size = team_sizes[space]
        preferred = names[int(_digest_hex(space), 16) % len(names)]
        domain = preferred if room[preferred] >= size else max(names, key=lambda n: (room[n], -names.index(n)))
        if room[domain] < size:
            problems.append(f"team {space} ({size} members) fits in no domain: {_rooms(room)}")
            continue
        room[domain] -= size
        placed[space] = domain
    return placed, problems


def _digest_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _rooms(room: dict) -> str:
    return ", ".join(
        f"{name} has room for {int(left) if left != float('inf') else 'any number'}" for name, left in room.items()
    )


class RosterRefused(Exception):
    """The roster, or how it is to be placed, cannot be used: ``msg`` says why, ``problems`` each problem."""

    def __init__(self, msg: str, problems: list | None = None):
        super().__init__(msg)
        self.msg, self.problems = msg, problems


def _place(participants: list, teams: dict, domains: list, capacities: dict, domain: str | None) -> dict:
    """Each team's domain (space -> domain), within ``capacities``; set on each participant too."""
    try:
        limits = [(name, None if capacities.get(name) is None else int(capacities[name])) for name in domains]
    except (TypeError, ValueError):
        raise RosterRefused(f"capacities must map domain names to whole numbers, got {capacities}") from None
    if domain and domain not in domains:
        raise RosterRefused(f"domain {domain} is not one of domains {list(domains)}")
    placed, problems = assign_domains({space: len(members) for space, members in teams.items()}, limits)
    if problems:
        raise RosterRefused("The teams do not fit in the domains: " + "; ".join(problems), problems)
    for participant in participants:
        participant["domain"] = placed[participant["space"]]
    return placed


def _share(participants: list, teams: dict, private_only: bool) -> dict:
    """What one domain's hosts are given: its participants, teams, user profiles and spaces."""
    return {
        "participants": participants,
        "teams": [
            {"space": space, "team": members[0].team, "members": [m.profile for m in members]}
            for space, members in teams.items()
        ],
        "user_profiles": [{"name": p["user_profile"]} for p in participants],
        "spaces": []
        if private_only
        else [{"name": space, "display_name": display_name(members[0].team)} for space, members in teams.items()],
        "personal_spaces": [
            {"name": p["personal_space"], "owner": p["user_profile"], "sharing": "private"} for p in participants
        ],
    }


def read_roster(path: str, domains=None, capacities=None, domain=None, private_only: bool = False) -> dict:
    """studio_roster's result for the roster at ``path``: every participant and team, or with ``domains``
    one domain's share (``domain``) or every domain's (``shares``). Raises RosterRefused."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as e:
        raise RosterRefused(f"Cannot read the roster {path}: {e.strerror}", [f"{path}: {e.strerror}"]) from None
    roster = parse_roster(data)
    if roster.problems:
        problems = roster.problem_lines(path)
        raise RosterRefused(f"The roster has {len(problems)} problem(s): " + "; ".join(problems[:20]), problems)
    teams = roster.teams
    participants = [p.as_dict() for p in roster.participants]
    total = {"participants": len(participants), "teams": len(teams)}
    placed = _place(participants, teams, domains, capacities or {}, domain) if domains else None  # by team space
    for participant in participants:
        participant["personal_space"] = personal_space_name(participant["email"])
        if private_only:
            participant["team_space"], participant["space"] = participant["space"], participant["personal_space"]
    result = {"msg": f"{total['participants']} participants in {total['teams']} teams", "total": total}
    if placed is None:
        return {**result, **_share(participants, teams, private_only)}
    by_domain = {name: ([], {}) for name in ([domain] if domain else domains)}
    for participant in participants:
        if participant["domain"] in by_domain:
            by_domain[participant["domain"]][0].append(participant)
    for space, members in teams.items():
        if placed[space] in by_domain:
            by_domain[placed[space]][1][space] = members
    shares = {name: _share(mine, their_teams, private_only) for name, (mine, their_teams) in by_domain.items()}
    return {**result, **shares[domain]} if domain else {**result, "shares": shares}
