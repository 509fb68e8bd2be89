"""The endpoints that gave the API what staff do in pages (issue #21), called by each role,
by a member of another operation and by nobody: the pages' roles and scoping, as
tests/api/test_access_by_role.py checks for the others. The role crawl
(tests/api/test_api_access_crawl.py) sends these bodies too."""

import pytest

from evac.operations.access import Permission
from tests.api import test_access_by_role as by_role
from tests.api.client import error_of, session_client, token_client
from tests.api.test_access_by_role import ROLE_MAY, Endpoint

P = Permission
scenario = by_role.scenario  # the fixture: a world with a record of each kind

PARITY_ENDPOINTS = [
    Endpoint("advice", "post", "advice/", P.PLAN_FLIGHTS, {"advice": "Stay indoors."}),
    # The scenario's flight is still open: the rule that refuses closing answers (409).
    Endpoint("close", "post", "close/", P.MANAGE_OPERATION, None, 409),
    # Not closed: nothing to reopen or date (409).
    Endpoint("reopen", "post", "reopen/", P.MANAGE_OPERATION, None, 409),
    Endpoint(
        "anonymise on", "post", "anonymise-on/", P.MANAGE_OPERATION, {"on": "2099-01-01"}, 409
    ),
    Endpoint("flights from suspended airports", "get", "airports/flights/"),
    # The scenario's only other airport, Almaty's, is suspended: the rule answers (400);
    # tests/api/test_operation_setup_api.py moves one.
    Endpoint(
        "move a flight",
        "post",
        "airports/flights/{flight_id}/move/",
        P.PLAN_FLIGHTS,
        {"departure_airport": "ALA"},
        400,
    ),
    Endpoint("unlock", "post", "members/{member_id}/unlock/", P.MANAGE_STAFF, None, 204),
    Endpoint(
        "reset second step",
        "post",
        "members/{member_id}/second-step/reset/",
        P.MANAGE_STAFF,
        None,
        204,
    ),
    # olena claimed nothing: the rule answers (409) to those who may confirm.
    Endpoint("confirm needs", "post", "citizens/{ref}/needs/confirm/", P.CONFIRM_NEEDS, None, 409),
    Endpoint("scan for duplicates", "post", "duplicates/scan/", P.EDIT_CITIZENS),
    Endpoint("manifest as XLSX", "get", "flights/{flight_id}/manifest.xlsx", P.EXPORT_DOCUMENTS),
    Endpoint(
        "transfer manifest as CSV",
        "get",
        "transfers/{transfer_id}/manifest.csv",
        P.EXPORT_DOCUMENTS,
    ),
    Endpoint(
        "transfer manifest as XLSX",
        "get",
        "transfers/{transfer_id}/manifest.xlsx",
        P.EXPORT_DOCUMENTS,
    ),
    Endpoint("saved import mappings", "get", "mappings/", P.IMPORT_PEOPLE),
    Endpoint(
        "save the import's mapping",
        "post",
        "imports/{import_id}/mappings/",
        P.IMPORT_PEOPLE,
        {"name": "Consulate"},
        201,
    ),
    Endpoint(
        "apply a saved mapping",
        "post",
        "imports/{import_id}/mapping/apply/",
        P.IMPORT_PEOPLE,
        lambda s: {"mapping": s.saved_mapping_id},
    ),
    Endpoint("import's rows in error", "get", "imports/{import_id}/errors.csv", P.IMPORT_PEOPLE),
    Endpoint("stranded", "get", "transfers/stranded/"),
    Endpoint("not connecting", "get", "transfers/not-connecting/"),
    # The booked passenger holds a flight seat and no leg: the train is another way there.
    Endpoint(
        "new leg",
        "post",
        "flights/{flight_id}/bookings/{booking_id}/legs/",
        P.MANAGE_BOOKINGS,
        lambda s: {"transfer": s.transfer_id},
        201,
    ),
    Endpoint(
        "journey from where they wait",
        "post",
        "flights/{flight_id}/journeys/",
        P.MANAGE_BOOKINGS,
        lambda s: {"citizen": s.ref},
        201,
    ),
]

# Reads a viewer is refused (tests/api/test_api_access_crawl.py): the whole travel
# documents, and who works in the operation, which is the coordinator's as for …/members/
# (a viewer's GET there is refused before the method is looked at).
PARITY_VIEWER_REFUSED_READS = {
    "api:member-unlock",
    "api:member-second-step-reset",
    "api:manifest-xlsx",
    "api:transfer-manifest-csv",
    "api:transfer-manifest-xlsx",
    "api:mappings",
    "api:import-errors-csv",
    "api:import-start",
    # The import's writes: reading them needs the import's permission too (as …/start/).
    "api:import-mappings",
    "api:import-mapping-apply",
}

# As ROLE_MAY, and an officer confirms the needs people claim and imports lists
# (operations/access.py).
MAY = {**ROLE_MAY, "bob": ROLE_MAY["bob"] | {P.CONFIRM_NEEDS, P.IMPORT_PEOPLE}}


def _ids(endpoint: Endpoint) -> str:
    return f"{endpoint.method.upper()} {endpoint.name}"


@pytest.mark.parametrize("endpoint", PARITY_ENDPOINTS, ids=_ids)
@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_a_member_may_do_what_the_page_allows_the_role_and_no_more(
    endpoint,
    who,
    scenario,
    request,
):
    response = endpoint.call(token_client(request.getfixturevalue(who)), scenario)

    if endpoint.permission in MAY[who]:
        assert response.status_code == endpoint.success, response.content[:500]
    else:
        assert response.status_code == 403, response.content[:500]
        assert error_of(response)["code"] == "permission_denied"


@pytest.mark.parametrize("endpoint", PARITY_ENDPOINTS, ids=_ids)
def test_a_member_of_another_operation_gets_404(endpoint, scenario, dave):
    response = endpoint.call(token_client(dave), scenario)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("endpoint", PARITY_ENDPOINTS, ids=_ids)
def test_an_anonymous_caller_gets_401(endpoint, scenario):
    response = endpoint.call(session_client(None), scenario)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize("endpoint", [e for e in PARITY_ENDPOINTS if e.method != "get"], ids=_ids)
def test_a_browser_session_writes_only_with_its_csrf_token(endpoint, scenario, alice):
    client = session_client(alice)
    client.handler.enforce_csrf_checks = True

    response = endpoint.call(client, scenario)

    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]


@pytest.mark.parametrize("endpoint", PARITY_ENDPOINTS, ids=_ids)
def test_options_describes_the_endpoint_never_a_500(endpoint, scenario, alice):
    # DRF's OPTIONS answer builds the write's serializer: each view must name one (the fuzz
    # found two that did not).
    url = f"/api/v1/operations/{scenario.operation.slug}/{endpoint.path.format(**vars(scenario))}"

    response = token_client(alice).options(url)

    assert response.status_code == 200, response.content[:300]
