"""The emulator's profiles: what a fresh start (and every reset) throttles, how long transitions take
at the least, and which quotas the account has.

``aws``, the default, is a new AWS account: every SageMaker and tagging action is throttled,
transitions keep a floor of AWS-like time however small ``--time-scale`` is, and app quotas are a
new account's. ``lenient`` is the emulator as it was before profiles: no throttling, no floor and
1,000 running apps of each app type on each instance type. Every setting can still be changed
through ``/_emulator/faults`` and ``/_emulator/config``; a reset goes back to the profile's.
"""

from __future__ import annotations

import fnmatch

# The SageMaker actions that change something (the emulator's own; CreatePresignedDomainUrl records a
# sign-in). Everything else it answers is a read.
MUTATING_ACTIONS = [
    "AddTags",
    "DeleteTags",
    "CreateDomain",
    "DeleteDomain",
    "CreateUserProfile",
    "UpdateUserProfile",
    "DeleteUserProfile",
    "CreateSpace",
    "UpdateSpace",
    "DeleteSpace",
    "CreateApp",
    "DeleteApp",
    "CreatePresignedDomainUrl",
    "CreateStudioLifecycleConfig",
    "DeleteStudioLifecycleConfig",
]

# SageMaker publishes no request rates for its control plane; it answers ThrottlingException "Rate
# exceeded" (recorded in aws/sagemaker-python-sdk#645). The rates are EC2's documented token buckets
# for the same kinds of call ("Request throttling for the Amazon EC2 API": a bucket per action,
# non-mutating actions refilled at 20 a second, mutating ones at 5), with smaller bursts than EC2's
# (stricter: undocumented for SageMaker). The first rule that names an action applies.
AWS_THROTTLE = [
    {"rps": 5, "burst": 20, "actions": MUTATING_ACTIONS},
    {"rps": 20, "burst": 50, "actions": None},
]

# However small the time scale, no transition is shorter than this (or than its AWS duration, if that
# is shorter): on AWS a transition takes seconds while a call takes a tenth of one, so a client always
# sees Pending after a create. Without a floor, a fast client sees Pending and a slow one InService,
# and the client's speed, not its logic, decides what it meets (issue 12, point 11).
AWS_MIN_TRANSITION_SECONDS = 1.0

# App quotas are per app type and instance type: "Studio JupyterLab Apps running on ml.g5.xlarge
# instances". Keys are "<AppType>/<instance type>" and may use "*" (fnmatch); the most specific key
# wins (see ``app_quota``). A new account has 0 for accelerated and large types (recorded:
# "'Studio JupyterLab Apps running on ml.p3.2xlarge instances' is 0 Apps", aws/amazon-sagemaker-feedback#157;
# "'Studio KernelGateway Apps running on ml.g5.48xlarge instance' is 0 Apps",
# vantage-sh/ec2instances.info#732; "'KernelGateway Apps running on ml.m5.12xlarge instance' is 0
# Apps", jupyterlab/jupyterlab#8759). AWS publishes no default for the small CPU types: the emulator
# gives a handful (stricter than any account we know of), enough for a rehearsal of a few teams.
NEW_ACCOUNT_APP_QUOTAS = {
    "*/*": 0,
    "*/ml.t3.medium": 4,
    "*/ml.t3.large": 2,
    "*/ml.t3.xlarge": 2,
    "*/ml.m5.large": 2,
    "*/ml.m5.xlarge": 2,
    "*/ml.c5.large": 2,
    "*/ml.c5.xlarge": 2,
}
LENIENT_APP_QUOTAS = {"*/*": 1000}
# Per account, both profiles (the emulator's numbers since it began; AWS's defaults are not published).
ACCOUNT_QUOTAS = {"user_profiles": 4000, "spaces": 4000}

# Idle shutdown: an app with an idle timeout and no user activity for that long (in scaled time) stops
# by itself, as on AWS. The lenient profile, the test suite's, leaves apps running: at a time scale of
# 0.01 an hour of idleness is 36 s, shorter than many a test; the tests of idle shutdown turn it on.
PROFILES = {
    "aws": {
        "throttle": AWS_THROTTLE,
        "min_transition_seconds": AWS_MIN_TRANSITION_SECONDS,
        "idle_shutdown": True,
        "quotas": {**ACCOUNT_QUOTAS, "apps": NEW_ACCOUNT_APP_QUOTAS},
    },
    "lenient": {
        "throttle": None,
        "min_transition_seconds": 0.0,
        "idle_shutdown": False,
        "quotas": {**ACCOUNT_QUOTAS, "apps": LENIENT_APP_QUOTAS},
    },
}
DEFAULT_PROFILE = "aws"


def app_quota(table: dict, app_type: str, instance_type: str) -> int:
    """The quota of ``app_type`` apps on ``instance_type`` in ``table``: the matching key with the fewest
    wildcards wins, so "JupyterLab/ml.g5.xlarge" beats "*/ml.g5.xlarge" beats "JupyterLab/*" beats "*/*"."""
    pair = f"{app_type}/{instance_type}"
    matches = [key for key in table if fnmatch.fnmatchcase(pair, key)]
    if not matches:
        return 0
    best = min(matches, key=lambda key: (key.count("*"), key.startswith("*")))
    return table[best]
