# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the managers of one Studio domain share: the API, the domain's description and ARNs, the
run's options, the proof of what is the event's (see scope.py), and a manager of each kind."""

from __future__ import annotations

import copy
import threading

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.hackathon.studio.plugins.module_utils._studio.apps import Apps
from ansible_collections.hackathon.studio.plugins.module_utils._studio.profiles import UserProfiles
from ansible_collections.hackathon.studio.plugins.module_utils._studio.spaces import Spaces
from ansible_collections.hackathon.studio.plugins.module_utils.api import paginate
from ansible_collections.hackathon.studio.plugins.module_utils.batch import run_batch, values
from ansible_collections.hackathon.studio.plugins.module_utils.scope import Records, carries

# The kinds by the names an app's key gives its owner ("space", "user"), so that a manager reaches
# its siblings through the domain rather than by importing them.
MANAGERS = {"user": UserProfiles, "space": Spaces, "app": Apps}


class Domain:
    """What the managers of one domain share: the API, the domain's ARN prefix and the run's options."""

    def __init__(
        self,
        api,
        domain_id: str,
        check_mode: bool = False,
        concurrency: int = 10,
        wait: bool = True,
        wait_timeout: float = 900,
    ):
        self.api = api
        self.domain_id = domain_id
        self.check_mode = check_mode
        self.concurrency = concurrency
        self.wait = wait
        self.wait_timeout = wait_timeout
        # What the registry recorded (see scope.py): vouched for without reading tags; and once given,
        # a delete needs that identity or the item's tags, never the name alone.
        self.recorded = Records()
        self.scope_tags: dict = {}  # the event's tags: what confirms a record (see ``confirm``)
        self.tagging = None  # a StudioApi of the Resource Groups Tagging API, made when first needed
        self.tagging_client = None  # how to make its client
        self._checked: set = set()  # ARNs the tagging index was asked about
        self._tagged: set = set()  # those of them it lists with the event's tags
        self._description = None
        self._lock = threading.Lock()

    def manager(self, kind: str):
        """A manager of ``kind`` ("user", "space" or "app") in this domain."""
        return MANAGERS[kind](self)

    def describe(self) -> dict:
        """DescribeDomain's answer, read once per run (even by concurrent workers)."""
        with self._lock:
            if self._description is None:
                self._description = self.api.call("DescribeDomain", DomainId=self.domain_id)
            return self._description

    def cascading(self) -> Domain:
        """This domain's options for a cascade, which removes what a resource proven the event's owns
        (so owned, it is the event's too: see scope.py), and always waits: the next stage needs the
        previous one finished whatever the run's ``wait``."""
        cascading = copy.copy(self)
        cascading.wait = True
        cascading.recorded = Records()
        return cascading

    def confirm(self, arns) -> None:
        """Ask the Resource Groups Tagging API, 100 ARNs a call, which of ``arns`` carry the event's tags.

        A registry record vouches for a resource only together with this: anyone who can write the
        registry could write a record, but not the tag. What the index does not list (it lags behind
        AWS's changes) is not confirmed, and gets its own ListTags where it matters.
        """
        if not self.scope_tags or self.tagging_client is None:
            return
        arns = set(arns)  # before the lock: building an ARN may read the domain, which takes it
        with self._lock:
            todo = sorted(arns - self._checked)
            if todo:
                self.tagging = self.tagging or self.tagging_client()
            batches = [todo[start : start + 100] for start in range(0, len(todo), 100)]
            for page in values(run_batch(batches, self._tagged_page, self.concurrency)):  # at the API's pace
                for mapping in page.get("ResourceTagMappingList", []):
                    if carries(boto3_tag_list_to_ansible_dict(mapping.get("Tags", [])), self.scope_tags):
                        self._tagged.add(mapping["ResourceARN"])
            self._checked.update(todo)

    def _tagged_page(self, arns: list) -> dict:
        return self.tagging.call("GetResources", ResourceARNList=arns)

    def vouches(self, arn_kind: str, path: str, name: str, summary, records=None) -> bool:
        """Whether the registry's record (``records``, else this run's) and the tagging index together
        prove the resource the event's (callers ``confirm`` a whole batch first: one call per 100)."""
        records = self.recorded if records is None else records
        if not records.vouches(name, summary):
            return False
        arn = self.arn(arn_kind, path)
        self.confirm([arn])
        return arn in self._tagged

    def arn(self, kind: str, path: str) -> str:
        """An ARN in this domain, built as AWS builds them, from the domain's own ARN."""
        prefix = self.describe()["DomainArn"].rsplit(":", 1)[0]
        return f"{prefix}:{kind}/{self.domain_id}/{path}"

    def read_tags(self, arn: str) -> dict:
        """The resource's tags, every page of ListTags."""
        return boto3_tag_list_to_ansible_dict(paginate(self.api.call, "ListTags", "Tags", ResourceArn=arn))
