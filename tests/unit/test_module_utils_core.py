"""Pure logic of module_utils: retries and pacing, the batch runner, list-based waiting."""

from __future__ import annotations

import threading

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils.api import Pacer, StudioApi, error_code, is_gone
from ansible_collections.hackathon.studio.plugins.module_utils.batch import ItemFailure, run_batch
from ansible_collections.hackathon.studio.plugins.module_utils.waiting import GONE, wait_for
from botocore.exceptions import ClientError


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"{code} happened"}}, "CreateSpace")


class ScriptedClient:
    """A stand-in boto3 client whose create_space answers from a script of errors, then succeeds."""

    def __init__(self, errors=(), pages=None):
        self.errors = list(errors)
        self.calls = 0
        self.pages = pages or []

    def create_space(self, **params):
        self.calls += 1
        if self.errors:
            raise client_error(self.errors.pop(0))
        return {"SpaceArn": "arn"}

    def list_spaces(self, **params):
        index = int(params.get("NextToken", 0))
        page = {"Spaces": self.pages[index]}
        if index + 1 < len(self.pages):
            page["NextToken"] = str(index + 1)
        assert params["MaxResults"] == 100
        return page


def test_throttling_is_retried_and_paced():
    client = ScriptedClient(["ThrottlingException"] * 3)
    api = StudioApi(client, sleep=lambda s: None)
    assert api.call("CreateSpace", DomainId="d-1", SpaceName="s") == {"SpaceArn": "arn"}
    assert client.calls == 4
    assert api.pacers["CreateSpace"].rate is not None  # pacing started after the first throttle


def test_server_errors_are_retried_a_bounded_number_of_times():
    client = ScriptedClient(["InternalFailure"] * 20)
    api = StudioApi(client, sleep=lambda s: None)
    with pytest.raises(ClientError) as raised:
        api.call("CreateSpace", DomainId="d-1", SpaceName="s")
    assert error_code(raised.value) == "InternalFailure"
    assert client.calls == 7  # the first try and six retries


def test_other_errors_are_not_retried():
    client = ScriptedClient(["ResourceInUse"])
    with pytest.raises(ClientError):
        StudioApi(client, sleep=lambda s: None).call("CreateSpace", DomainId="d-1", SpaceName="s")
    assert client.calls == 1


def test_list_all_reads_every_page():
    client = ScriptedClient(pages=[[{"SpaceName": "a"}], [{"SpaceName": "b"}], [{"SpaceName": "c"}]])
    names = [s["SpaceName"] for s in StudioApi(client).list_all("ListSpaces", "Spaces", DomainIdEquals="d-1")]
    assert names == ["a", "b", "c"]


def test_pacer_learns_the_rate_the_api_lets_through():
    pacer = Pacer()
    for _ in range(10):
        pacer.succeeded()
    assert pacer.rate is None  # no pacing before the first throttle
    pacer.throttled()
    assert pacer.rate == pytest.approx(9.5)  # just under the 10 calls that went through in the last second
    pacer.throttled()  # the same congestion event, met by another worker: no second cut
    assert pacer.rate == pytest.approx(9.5)
    pacer.succeeded()
    assert pacer.rate > 9.5
    pacer.last_cut -= Pacer.COOLDOWN  # a later event: measured again
    pacer.recent.clear()
    pacer.throttled()
    assert pacer.rate == Pacer.FLOOR


def test_run_batch_keeps_order_errors_and_bounds_concurrency():
    running = []
    peak = []
    lock = threading.Lock()

    def work(n):
        with lock:
            running.append(n)
            peak.append(len(running))
        try:
            if n == 3:
                raise ItemFailure("three")
            return n * 10
        finally:
            with lock:
                running.remove(n)

    outcomes = run_batch(range(8), work, concurrency=2)
    assert [o.value for o in outcomes] == [0, 10, 20, None, 40, 50, 60, 70]
    assert str(outcomes[3].error) == "three"
    assert max(peak) <= 2


def test_run_batch_lets_a_bug_fail_the_run_instead_of_one_item():
    with pytest.raises(TypeError):
        run_batch([1, 2], lambda n: n + "1", concurrency=2)


def test_wait_for_reports_reached_failed_and_pending():
    polls = iter([{"a": "Pending", "b": "Pending", "c": "Pending"}, {"b": "Failed", "c": "Pending"}] * 50)
    clock = [0.0]

    def sleep(seconds):
        clock[0] += seconds

    result = wait_for(
        ["a", "b", "c"], lambda: next(polls), (GONE,), ("Failed",), timeout=3, sleep=sleep, clock=lambda: clock[0]
    )
    assert result.reached == {"a": GONE}
    assert result.failed == {"b": "Failed"}
    assert result.pending == {"c": "Pending"}
    assert clock[0] <= 3


@pytest.mark.parametrize(
    ("code", "message", "operation", "gone"),
    [
        ("ResourceNotFound", "Space team-1 does not exist", "DescribeSpace", True),
        ("ValidationException", "RecordNotFound", "DescribeApp", True),
        ("ValidationException", "App arn:... has already been deleted", "DeleteApp", True),
        ("ValidationException", "App arn:... previously failed and was automatically deleted", "DeleteApp", True),
        ("ValidationException", "", "ListTags", True),  # a Deleted or Failed app's tags
        ("ValidationException", "", "CreateApp", False),
        ("ValidationException", "Space team-1 is for JupyterLab apps, not CodeEditor", "CreateApp", False),
        ("ResourceInUse", "App arn:... is already being deleted", "DeleteApp", False),
        ("AccessDeniedException", "", "ListTags", False),
    ],
)
def test_is_gone_matches_the_code_and_the_words_of_a_gone_resource(code, message, operation, gone):
    assert is_gone(ClientError({"Error": {"Code": code, "Message": message}}, operation)) is gone
