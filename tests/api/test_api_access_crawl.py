"""Walk every address of the API with every method: as nobody, with a bad or revoked key, as a
member of another operation (by key and by browser session) and as a viewer. Nobody outside the
operation learns anything of it, a viewer only reads, and the database is as it was.

The addresses come from the URL configuration (tests/url_patterns.py), so an endpoint added
later is walked without editing this test. The walk refuses an address it can't fill in or
doesn't know how to judge: teach it (WHAT in tests/url_patterns.py, SIGNED_IN, PUBLIC,
SIGNED_IN_ANSWERS) or list the address in EXCLUDED with the reason.
Its self-checks, its walks by key and by browser session: test_api_access_crawl_coverage.py,
_keys.py and _sessions.py.
"""

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Model
from django.urls import resolve
from rest_framework.test import APIClient

from evac.accounts.models import Invitation
from evac.api.models import ApiToken
from evac.api.services import api_token_create, api_token_revoke
from evac.api.throttling import TokenRateThrottle
from evac.api.views.base import not_found
from evac.core.requests import Caller
from evac.flights.models import Booking, Flight, GroundTransfer, ManifestExport, SeatOffer
from evac.flights.offers import offers_make
from evac.flights.services import booking_create
from evac.flights.transfers import transfer_book
from evac.notifications.models import Notification
from evac.operations.models import Membership, Operation, Role
from evac.people.import_models import ImportMapping, PeopleImport
from evac.people.imports import import_create
from evac.people.merges import citizens_merge
from evac.people.models import Citizen, CitizenMerge, ContactLogEntry, Household
from evac.people.services import contact_log_add, household_register
from evac.places.models import Airport, City
from evac.portal.codes import one_time_code_issue
from tests.api.client import error_of, op_url, token_client
from tests.api.test_access_by_role import ENDPOINTS, dismissed_pair, likely_pair
from tests.api.test_parity_access import PARITY_ENDPOINTS, PARITY_VIEWER_REFUSED_READS
from tests.factories import make_citizen, make_member
from tests.flights.factories import make_transfer
from tests.url_patterns import CannotFill, Pattern, url_of, url_patterns

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
UNSAFE = METHODS[1:]

# What an address is, for the crawl: where the answers differ.
OPERATION = "in an operation"  # under /api/v1/operations/<op>/: members only
SIGNED_IN = "outside operations"  # any signed-in user, with what is theirs or shared
PUBLIC = "public"  # anyone
NOWHERE = "nowhere"  # what matches no endpoint: a 404 to everyone

# Outside operations: a user's own operations and tokens, and the places all operations share.
SIGNED_IN_NAMES = {"api:operations", "api:cities", "api:airports", "api:tokens", "api:token"}
SIGNED_IN_NAMES |= {"api:headquarters-invitations"}
# The schema and its docs page describe the API and hold nobody's data; anyone may read them.
PUBLIC_NAMES = {"api:schema", "api:docs"}
# Outside operations, where a signed-in user's answer is not "a read is a 200, a method the
# endpoint lacks a 405". The crawl asks for alice's token: nobody else sees or revokes it.
SIGNED_IN_ANSWERS = {
    ("api:token", "get"): 404,
    ("api:token", "delete"): 404,
    ("api:tokens", "post"): 403,  # a key can't make more keys (tests/api/test_tokens.py)
    # Only headquarters open operations (tests/operations/test_headquarters.py).
    ("api:operations", "post"): 403,
    # Only headquarters invite headquarters (tests/accounts/test_headquarters_invitations.py).
    ("api:headquarters-invitations", "get"): 403,
    ("api:headquarters-invitations", "post"): 403,
}
# Addresses that are not routes with <parameters>, and the one the crawl calls for each.
SAMPLES = {r"api/v1/^[\s\S]*$": "/api/v1/nothing-here/"}
# Addresses the crawl leaves alone, with the reason. None so far: keep it that way if you can.
EXCLUDED: dict[str, str] = {}

NO_SUCH_OPERATION = "no-such-operation"

# Reads a viewer may not make: the files with whole travel documents (officers and
# coordinators only; a viewer reads the JSON manifest, masked).
# Nor who works in the operation: the list of staff is the coordinator's.
VIEWER_REFUSED_READS = {
    "api:manifest-csv",
    "api:manifest-paxlst",
    "api:imports",
    "api:import",
    "api:members",
    "api:member",
    "api:member-invitation",
    *PARITY_VIEWER_REFUSED_READS,
}

# Who calls.
NOBODY = "nobody"  # no key, no session
BAD_KEY = "a bad key"  # unknown, malformed, revoked, or of a deactivated user
OUTSIDER = "another operation's member"
VIEWER = "a viewer"


@dataclass(frozen=True)
class Address:
    pattern: Pattern
    kind: str
    url: str
    ghost_url: str  # the same address in an operation that doesn't exist ("" outside them)
    allowed: frozenset[str]  # the methods the view has

    @property
    def label(self) -> str:
        return label(self.pattern)


def label(pattern: Pattern) -> str:
    return pattern.name or pattern.route


def api_patterns() -> list[Pattern]:
    return [p for p in url_patterns() if p.route.startswith("api/")]


def kind_of(pattern: Pattern) -> str | None:
    if pattern.callback is not_found:
        return NOWHERE
    if "op" in pattern.params:
        return OPERATION
    if pattern.name in SIGNED_IN_NAMES:
        return SIGNED_IN
    if pattern.name in PUBLIC_NAMES:
        return PUBLIC
    return None


def fill(pattern: Pattern, world: SimpleNamespace, **override: str) -> str:
    if pattern.regex:
        return SAMPLES[pattern.route]
    return url_of(pattern, {**vars(world), **override})


def plan(world: SimpleNamespace) -> tuple[list[Address], list[str]]:
    """The addresses to crawl, and what keeps the crawl from judging the others."""
    addresses, problems = [], []
    for pattern in api_patterns():
        name = label(pattern)
        if name in EXCLUDED:
            continue
        kind = kind_of(pattern)
        if kind is None:
            problems.append(f"{name}: in an operation, outside (SIGNED_IN_NAMES) or public?")
            continue
        try:
            url = fill(pattern, world)
        except KeyError as missing:
            problems.append(f"{name}: the crawl has no sample address for {missing}: SAMPLES")
            continue
        except CannotFill as missing:
            problems.append(str(missing))
            continue
        if resolve(url).func is not pattern.callback:
            problems.append(f"{name}: filled in as {url}, which is another endpoint")
            continue
        view = getattr(pattern.callback, "cls", None)
        allowed = frozenset(m for m in METHODS if view is None or hasattr(view, m))
        unjudged = [m for m in allowed & set(UNSAFE) if (pattern.name, m) not in SIGNED_IN_ANSWERS]
        if kind == SIGNED_IN and unjudged:
            problems.append(f"{name}: what does a stranger's {unjudged} get? SIGNED_IN_ANSWERS")
            continue
        ghost = fill(pattern, world, operation_slug=NO_SUCH_OPERATION) if kind == OPERATION else ""
        addresses.append(Address(pattern, kind, url, ghost, allowed))
    return addresses, problems


def expected(address: Address, method: str, who: str) -> int:
    if address.kind == NOWHERE:
        return 404
    if address.kind == PUBLIC:
        return 200 if method in address.allowed else 405
    if who in (NOBODY, BAD_KEY):
        return 401
    if address.kind == OPERATION:
        if who == OUTSIDER:
            return 404  # as if there were no such operation
        if method in UNSAFE:
            return 403  # a viewer only reads, even with a method the endpoint lacks
        if who == VIEWER and address.pattern.name in VIEWER_REFUSED_READS:
            return 403
    answer = SIGNED_IN_ANSWERS.get((address.pattern.name, method))
    return answer or (200 if method in address.allowed else 405)


def request(client: APIClient, method: str, url: str, body: object) -> object:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, format="json")


def problem_with(response, want: int, secrets: list[str], address: Address) -> str | None:
    """What is wrong with an answer that should be `want` and hold none of `secrets`."""
    if response.status_code != want:
        return f"{response.status_code}, not {want}: {response.content[:200]!r}"
    leaked = [s for s in secrets if s in response.content.decode(errors="replace")]
    if leaked:
        return f"shows {leaked}"
    # The schema and docs views answer their errors in their own formats (YAML, HTML).
    if want >= 400 and address.kind != PUBLIC:
        try:
            error_of(response)
        except (AssertionError, ValueError):
            return f"not the error shape: {response.content[:200]!r}"
        if want == 401 and response.get("WWW-Authenticate") != "Bearer":
            return "a 401 without WWW-Authenticate: Bearer"
    return None


def crawl(client: APIClient, who: str, world: SimpleNamespace, addresses: list[Address]) -> list:
    """Every address with every method; the answers that are wrong for `who`."""
    secrets = world.alices_secrets if who == VIEWER else world.secrets
    wrong = []
    for address in addresses:
        for method in METHODS:
            body = world.bodies.get((address.pattern.callback, method))
            response = request(client, method, address.url, body)
            want = expected(address, method, who)
            problem = problem_with(response, want, secrets, address)
            if problem is None and address.ghost_url and who == OUTSIDER:
                ghost = request(client, method, address.ghost_url, body)
                if (ghost.status_code, ghost.content) != (response.status_code, response.content):
                    problem = f"not what a missing operation gets: {ghost.content[:200]!r}"
            if problem:
                wrong.append(f"{method.upper()} {address.url}: {problem}")
    return wrong


def _watched() -> dict[str, type[Model]]:
    watched = {
        "operations": Operation,
        "memberships": Membership,
        "citizens": Citizen,
        "households": Household,
        "contact log": ContactLogEntry,
        "flights": Flight,
        "bookings": Booking,
        "seat offers": SeatOffer,
        "ground transfers": GroundTransfer,
        "manifest exports": ManifestExport,
        "tokens": ApiToken,
        "invitations": Invitation,
        "imports": PeopleImport,
        "saved mappings": ImportMapping,
        "merges": CitizenMerge,
        "cities": City,
        "airports": Airport,
    }
    if apps.is_installed("evac.notifications"):
        watched["notifications"] = apps.get_model("notifications", "Notification")
    return watched


# Written down as a key is used; the one thing a read may change.
UNWATCHED_FIELDS = {"last_used_at"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row the API could write, whole (statuses, seats booked, revocations...)."""
    rows = {}
    for what, model in _watched().items():
        fields = [f.attname for f in model._meta.concrete_fields]
        fields = [f for f in fields if f not in UNWATCHED_FIELDS]
        rows[what] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def bodies(world: SimpleNamespace) -> dict:
    """A valid body for each write, as tests/api/test_access_by_role.py sends it: were a
    permission check missing, the write would really happen and the snapshot would differ."""
    found = {}
    for endpoint in [*ENDPOINTS, *PARITY_ENDPOINTS]:
        func = resolve(op_url(world.operation, endpoint.path.format(**vars(world)))).func
        body = endpoint.body(world) if callable(endpoint.body) else endpoint.body
        found[(func, endpoint.method)] = body
    return found


@pytest.fixture
def world(operation, almaty, nur_sultan, flight, alice, monkeypatch) -> SimpleNamespace:
    cache.clear()  # each key's request count starts at 0: a crawl makes hundreds of requests
    # and, with one key, more than the rate allows (throttling: tests/api/test_throttling.py)
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/minute"})
    # The first in line holds a seat offer: no stranger may see or answer it.
    asked = make_citizen(operation, almaty, surname="Kotliarevska")
    (offer,) = offers_make(flight=flight, by=alice, limit=1)
    olena = make_citizen(operation, almaty, surname="Zaporozhets", phone="+77011234567")
    contact_log_add(
        citizen=olena, channel="phone", direction="outbound", outcome="reached", by=alice
    )
    passenger = make_citizen(operation, almaty, surname="Khmelnytska", phone="+77017654321")
    booking = booking_create(flight=flight, citizen=passenger, by=alice)
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=alice,
        members=[
            {
                "surname": "Hrushevska",
                "given_names": "Mariia",
                "date_of_birth": date(1979, 5, 1),
                "sex": Citizen.Sex.FEMALE,
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": "FB765432",
                "current_city": almaty,
            }
        ],
    )
    token, _key = api_token_create(user=alice, name="alice's integration", by=alice)
    people_import = import_create(
        operation=operation, by=alice, file_name="list.csv", content=b"Surname;Name\nKOVAL;OLENA\n"
    )
    # A code on its way to olena's phone: no role may read it anywhere.
    one_time_code_issue(citizen=olena, channel="sms")
    code = Notification.objects.get(kind=Notification.Kind.ONE_TIME_CODE).secret
    twice = make_citizen(operation, almaty, surname="Zaporozhets")
    merge = citizens_merge(
        kept=make_citizen(operation, almaty, surname="Khmelnytska"),
        dropped=make_citizen(operation, almaty, surname="Khmelnytska"),
        caller=Caller(user=alice, method="POST", through_api=True, ip_address=None),
    )
    train = make_transfer(operation, almaty, nur_sultan)
    traveller = make_citizen(operation, almaty, surname="Kobylianska")
    (transfer_seat,) = transfer_book(transfer=train, citizen=traveller, by=alice)
    world = SimpleNamespace(
        operation=operation,
        nur_sultan=nur_sultan,
        transfer_id=train.pk,
        transfer_seat_id=transfer_seat.pk,
        other_ref=twice.reference_code,
        merge_id=merge.pk,
        duplicate_pair_id=likely_pair(operation, almaty),
        dismissed_pair_id=dismissed_pair(operation, almaty),
        operation_slug=operation.slug,
        almaty=almaty,
        ref=olena.reference_code,
        household_id=household.pk,
        flight_id=flight.pk,
        airport_iata=flight.departure_airport.iata_code,
        booking_id=booking.pk,
        offer_id=offer.pk,
        message_id=Notification.objects.filter(booking=booking).first().pk,
        token_id=token.pk,
        import_id=people_import.pk,
        saved_mapping_id=ImportMapping.objects.create(operation=operation, name="list").pk,
        member_id=make_member("frank", operation, Role.VIEWER).memberships.get().pk,
        # What nobody outside the operation may see; alice's key is hers alone.
        code=code,
        alices_secrets=[token.prefix, code],
        secrets=[
            token.prefix,
            operation.slug,
            operation.name,
            "Zaporozhets",
            "Khmelnytska",
            "Hrushevska",
            "Kotliarevska",
            "Kobylianska",
            asked.reference_code,
            olena.reference_code,
            passenger.reference_code,
            "+7701",
            code,
        ],
    )
    world.bodies = bodies(world)
    return world


@pytest.fixture
def addresses(world) -> list[Address]:
    found, problems = plan(world)
    if problems:
        pytest.fail("the crawl can't judge these addresses:\n" + "\n".join(problems))
    return found


def _deactivated_members_key(bob) -> str:
    _token, key = api_token_create(user=bob, name="test", by=bob)
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    return f"Bearer {key}"


def _revoked_key(alice) -> str:
    token, key = api_token_create(user=alice, name="test", by=alice)
    api_token_revoke(token=token, by=alice)
    return f"Bearer {key}"


BAD_KEYS = {
    "revoked": lambda alice, bob: _revoked_key(alice),
    "of a deactivated member": lambda alice, bob: _deactivated_members_key(bob),
    "unknown": lambda alice, bob: "Bearer evac_" + "0" * 43,
    "DRF's spelling, unknown": lambda alice, bob: "Token evac_not-a-key",
    "missing": lambda alice, bob: "Bearer",
    "two of them": lambda alice, bob: "Bearer evac_one evac_two",
    "not ASCII": lambda alice, bob: "Bearer évac",
}


def test_an_officers_key_cancels_no_seat_anywhere(world, addresses, bob):
    # Cancelling a seat is a coordinator's: every address with every method, the booked
    # passenger's code wherever one is taken, and each decision that would free a seat.
    booking = Booking.objects.get(pk=world.booking_id)
    client = token_client(bob)
    for address in [a for a in addresses if a.kind == OPERATION]:
        url = fill(address.pattern, world, ref=booking.citizen.reference_code)
        for method in METHODS:
            body = world.bodies.get((address.pattern.callback, method))
            request(client, method, url, body)
            for status in ("decided_to_stay", "left_by_own_means", "unreachable"):
                request(client, method, url, {**(body or {}), "status": status})

    booking.refresh_from_db()
    assert booking.is_active


def test_an_officers_key_changes_no_member_anywhere(world, addresses, bob):
    # Who works in the operation is the coordinator's: every address, every method, with a
    # body that would add someone or make bob a coordinator were a check missing.
    client = token_client(bob)
    before = snapshot()["memberships"]
    for address in [a for a in addresses if a.kind == OPERATION]:
        url = fill(address.pattern, world, member_id=str(bob.memberships.get().pk))
        for method in UNSAFE:
            body = world.bodies.get((address.pattern.callback, method))
            request(
                client,
                method,
                url,
                {**(body or {}), "username": "erin", "role": "coordinator", "email": "e@x.org"},
            )

    assert snapshot()["memberships"] == before
    assert not User.objects.filter(username="erin").exists()


# A hand-made cursor holding a NUL ("p=%00"): PostgreSQL's text can't hold one.
NUL_CURSOR = "cD0lMDA%3D"


def test_a_hand_made_cursor_is_a_400_or_ignored_everywhere_never_a_500(world, addresses, alice):
    client = token_client(alice)
    paged = []
    for address in [a for a in addresses if a.kind in (OPERATION, SIGNED_IN)]:
        if "get" not in address.allowed:
            continue
        response = client.get(f"{address.url}?cursor={NUL_CURSOR}")
        refused = SIGNED_IN_ANSWERS.get((address.label, "get")) == 403  # not alice's to read
        assert response.status_code in ((403,) if refused else (200, 400)), address.url
        if response.status_code == 400:
            assert error_of(response)["fields"] == {"cursor": ["This cursor is not valid."]}
            paged.append(address.label)
    # Every list that pages by cursor refused it (the others have no cursor to read).
    assert {"api:citizens", "api:households", "api:flights", "api:operations"} <= set(paged)


def test_no_write_takes_a_megabyte_of_text_or_a_contact_in_the_future(world, addresses, alice):
    # Every write of an operation, as its coordinator, with its valid body spoiled: text
    # fields a megabyte long, a contact dated 8999. Whatever each endpoint answers, nothing
    # of it is stored.
    client = token_client(alice)
    huge = "x" * 1_000_000
    for address in [a for a in addresses if a.kind == OPERATION]:
        for method in ("post", "put", "patch"):
            body = world.bodies.get((address.pattern.callback, method)) or {}
            if method not in address.allowed or not isinstance(body, dict):
                continue
            for spoiled in (
                {**body, **dict.fromkeys(("notes", "note", "temporary_address"), huge)},
                {**body, "medical_details": huge, "at": "8999-01-01T00:00:00Z"},
            ):
                response = request(client, method, address.url, spoiled)
                assert response.status_code < 500, f"{method.upper()} {address.url}"

    stored = snapshot()
    longest = max(len(str(value)) for rows in stored.values() for row in rows for value in row)
    assert longest < 10_000
    assert not ContactLogEntry.objects.filter(at__year__gt=2100).exists()
