# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The apps of a Studio domain's spaces and user profiles.

An app's key is ``("space", space, app_type, app_name)`` or ``("user", user_profile, ...)``: its
owner first. Present means running (InService); absent means stopped (DeleteApp). AWS keeps a
stopped app listed as Deleted for a while, and a new app with the same key replaces it.

An app runs the lifecycle configuration and image its CreateApp's ResourceSpec names: botocore's model
documents it overriding the user profile's or the domain's, not a space's DefaultResourceSpec being
applied to it, so the event's material is asked for here and not left to the space's defaults.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError, Manager, Plan
from ansible_collections.hackathon.studio.plugins.module_utils.api import ClientError, is_gone
from ansible_collections.hackathon.studio.plugins.module_utils.scope import carries
from ansible_collections.hackathon.studio.plugins.module_utils.waiting import GONE, wait_for

DEFAULT_INSTANCE_TYPE = "ml.t3.medium"
MATERIAL = ("lifecycle_config", "image")  # JupyterLab's, as a space's (spaces.py)
STOPPED = ("Deleted", GONE)


class Apps(Manager):
    kind = "app"
    arn_kind = "app"
    create_operation, delete_operation, describe_operation = "CreateApp", "DeleteApp", "DescribeApp"
    busy_statuses = ()  # an app can be stopped while it is still starting
    # AWS deletes a failed app itself; it stays listed as Failed (hashicorp/terraform-provider-aws#27265)
    gone_statuses = (GONE, "Deleted", "Failed")

    def __init__(self, domain, removing: bool = False):
        """``removing``: for its owner's deletion, so a Failed app is deleted too, not left as it is."""
        super().__init__(domain)
        self.removing = removing
        self._owners: dict = {}  # "space" or "user" -> the owners' listing, read once
        self._owner_tags: dict = {}  # (kind, owner) -> its tags, read once
        self._spaces = domain.manager("space")  # its image(): studio_space's image resolution, once per image

    # ----- what names an app -------------------------------------------------------------------
    def key(self, item):
        owner = ("space", item["space"]) if item.get("space") else ("user", item["user_profile"])
        return (*owner, item.get("app_type") or "JupyterLab", item.get("app_name") or "default")

    def fields(self, key) -> dict:
        return {"space" if key[0] == "space" else "user_profile": key[1], "app_type": key[2], "app_name": key[3]}

    def label(self, key) -> str:
        return f"{key[2]}/{key[3]} of {key[0]} {key[1]}"

    def arn_path(self, key) -> str:
        return f"{key[1]}/{key[2].lower()}/{key[3]}"

    def _identity(self, key) -> dict:
        return {
            "DomainId": self.domain.domain_id,
            "SpaceName" if key[0] == "space" else "UserProfileName": key[1],
            "AppType": key[2],
            "AppName": key[3],
        }

    # ----- what proves it the event's: its owner -----------------------------------------------
    def vouched(self, key, summary) -> bool:
        """An app is the event's when its space (or user profile) is: by its record (O(recorded) lists
        the owners for apps) or else by the owner's tags, read once per owner."""
        if not self.domain.scope_tags:
            return False
        owners = self._read_owners(key[0])
        if owners.vouched(key[1], self._owners[key[0]].get(key[1])):
            return True
        owner = key[:2]
        if owner not in self._owner_tags:
            try:
                self._owner_tags[owner] = self.domain.read_tags(self.domain.arn(owners.arn_kind, key[1]))
            except ClientError as exc:  # a vanished owner owns nothing
                if not is_gone(exc):
                    raise
                self._owner_tags[owner] = {}
        return carries(self._owner_tags[owner], self.domain.scope_tags)

    def _read_owners(self, owner_kind: str) -> Manager:
        """The manager of the apps' owners of this kind, their listing read and confirmed once."""
        owners = self.domain.manager(owner_kind)
        with self.domain._lock:
            if owner_kind in self._owners:
                return owners
            self._owners[owner_kind] = owners.read()
        owners.confirm_records(self._owners[owner_kind])
        return owners

    def confirm_records(self, current: dict, records=None) -> None:
        """Apps are vouched for by their owners: confirm those the apps of ``current`` belong to."""
        if self.domain.recorded.times:
            for owner_kind in {key[0] for key in current}:
                self._read_owners(owner_kind)

    # ----- reading -----------------------------------------------------------------------------
    def read(self, keys=()) -> dict:
        owners = {key[:2] for key in keys}
        narrowed = {}
        if len(owners) == 1:  # the apps of one space or user profile: a page, not every app
            [(kind, owner)] = owners
            narrowed = {"SpaceNameEquals" if kind == "space" else "UserProfileNameEquals": owner}
        found = self.api.list_all("ListApps", "Apps", DomainIdEquals=self.domain.domain_id, **narrowed)
        apps = {}
        for a in found:
            owner = ("space", a["SpaceName"]) if a.get("SpaceName") else ("user", a.get("UserProfileName"))
            key = (*owner, a["AppType"], a["AppName"])
            # A Deleted app and its live successor share a key: the live one is the one that counts.
            if key not in apps or apps[key]["Status"] == "Deleted":
                apps[key] = a
        return apps

    # ----- planning ----------------------------------------------------------------------------
    def _create_params(self, item, tags=None) -> dict:
        """CreateApp's parameters for the item, tagged with ``tags`` if given, else with the item's tags."""
        params = self._identity(self.key(item))
        params["ResourceSpec"] = {"InstanceType": item.get("instance_type") or DEFAULT_INSTANCE_TYPE}
        params["ResourceSpec"].update(self._material(item))
        tags = item.get("tags") if tags is None else tags
        if tags:
            params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
        return params

    def _material(self, item) -> dict:
        """The lifecycle configuration and image the item asks its app to run, as ResourceSpec fields."""
        key = self.key(item)
        asked = [option for option in MATERIAL if item.get(option)]
        if asked and key[2] != "JupyterLab":
            raise ItemError(f"app {self.label(key)}: {', '.join(asked)} are for JupyterLab apps, not {key[2]} ones")
        spec = {"LifecycleConfigArn": item.get("lifecycle_config")}
        image = self._spaces.image(item)
        spec.update(SageMakerImageArn=image.get("image_arn"), SageMakerImageVersionArn=image.get("image_version_arn"))
        return {field: value for field, value in spec.items() if value}

    def _start_step(self, item, tags):
        """The step that starts the app anew, with these tags."""
        key, params = self.key(item), self._create_params(item, tags)
        return lambda: self._do_create(key, tags, params)

    def _kept_tags(self, item, key) -> dict:
        """The tags an app started again in place of ``key`` should have: the user's, or the old app's."""
        if item.get("tags") is not None and item.get("purge_tags", True):
            return item["tags"]
        try:
            current = self.domain.read_tags(self.domain.arn(self.arn_kind, self.arn_path(key)))
        except ClientError as exc:  # AWS refuses the tags of a Failed app: it deleted it itself
            if not is_gone(exc):
                raise
            current = {}
        return {**current, **(item.get("tags") or {})}

    def plan_present(self, item, summary) -> Plan:
        """A failed app is started again, a stopping one once it stopped, and one of another instance
        type is stopped and started with the wanted type; the rest as for every kind."""
        key = self.key(item)
        status = self.status(summary)
        wanted_type = item.get("instance_type")
        current_type = (summary or {}).get("ResourceSpec", {}).get("InstanceType")
        if status in ("Failed", "Deleting"):
            instance_type = wanted_type or current_type or DEFAULT_INSTANCE_TYPE  # unset: as it was
            steps = [self._start_step(dict(item, instance_type=instance_type), self._kept_tags(item, key))]
            if status == "Deleting":
                steps.insert(0, lambda: self._wait_stopped(key))
            before = {"status": status, "instance_type": current_type}
            after = {"status": "InService", "instance_type": instance_type}
            return Plan(item, key, "created", before, after, steps, wait=True)
        if status in ("InService", "Pending") and wanted_type and current_type and wanted_type != current_type:
            steps = [lambda: self._call_delete(key), lambda: self._wait_stopped(key)]
            steps.append(self._start_step(item, self._kept_tags(item, key)))
            before = {"status": status, "instance_type": current_type}
            after = {"status": "InService", "instance_type": wanted_type}
            return Plan(item, key, "updated", before, after, steps, wait=True)
        return super().plan_present(item, summary)

    def plan_absent(self, item, summary) -> Plan:
        """A Failed app is not running (AWS deleted it): stopping leaves it as it is, unless ``removing``."""
        if self.status(summary) == "Failed" and not self.removing:
            plan = Plan(item, self.key(item), "unchanged")
            plan.status = "Failed"
            return plan
        return super().plan_absent(item, summary)

    def remove(self, keys) -> list:
        """Delete these apps whatever their status (Failed ones too), as deleting their space or owner needs.

        Waits until they are gone even when the run does not wait: what comes next needs them gone.
        """
        remover = Apps(self.domain.cascading(), removing=True)
        return remover.ensure_absent([self.fields(key) for key in keys])

    # ----- the calls that change something -----------------------------------------------------
    def _call_delete(self, key) -> None:
        try:
            super()._call_delete(key)
        except is_boto3_error_code("ResourceInUse"):  # already Deleting: waiting is all there is to do
            return

    def _wait_stopped(self, key) -> None:
        result = wait_for([key], lambda: self.statuses([key]), STOPPED, (), self.domain.wait_timeout)
        if result.pending:
            raise ItemError(
                f"timed out after {self.domain.wait_timeout} s waiting for app {self.label(key)} to stop; "
                f"its last status was {result.pending[key]}"
            )
