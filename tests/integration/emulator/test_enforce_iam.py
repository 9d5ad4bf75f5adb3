"""IAM at the emulator's endpoint (moto's), and, with ``enforce_iam``, SageMaker requests authorized by it.

The module runs its own emulator in eu-west-1, so that IAM's global signing scope (us-east-1) is tested
against an emulator of another region.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from hackathon_studio.emulator.process import EmulatorProcess

REGION = "eu-west-1"
ACCOUNT = "123456789012"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
        }
    ],
}


@pytest.fixture(scope="module")
def emu():
    with EmulatorProcess(time_scale=0.002, profile="lenient", extra_args=["--region", REGION]) as process:
        yield process


@pytest.fixture
def emulator(emu):
    emu.reset()
    return emu


def client(emulator, service: str, region: str = REGION, **credentials):
    kwargs = dict(emulator.client_kwargs(region=region), **credentials)
    return boto3.client(service, config=Config(retries={"total_max_attempts": 1}), **kwargs)


def test_iam_roles_and_sts_sessions_at_the_emulator(emulator):
    # boto3 signs IAM for us-east-1 (its global endpoint's region) whatever the client's region.
    iam = client(emulator, "iam", region="us-east-1")
    arn = iam.create_role(RoleName="team-7", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:role/team-7"
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sagemaker:ListApps", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName="team-7", PolicyName="apps", PolicyDocument=json.dumps(policy))
    assert iam.get_role(RoleName="team-7")["Role"]["Arn"] == arn
    assert client(emulator, "iam").list_role_policies(RoleName="team-7")["PolicyNames"] == ["apps"]
    session = client(emulator, "sts").assume_role(RoleArn=arn, RoleSessionName="ada")
    credentials = session["Credentials"]
    assert credentials["AccessKeyId"] and credentials["SecretAccessKey"] and credentials["SessionToken"]
    assert session["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/team-7/ada"
    received = emulator.calls()["received"]
    assert received["IAM.CreateRole"] == 1 and received["STS.AssumeRole"] == 1


def test_only_iam_may_be_signed_for_another_region(emulator):
    with pytest.raises(ClientError) as info:
        client(emulator, "sagemaker", region="us-east-1").list_domains()
    assert info.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert "scoped to a valid region, not 'us-east-1'" in info.value.response["Error"]["Message"]
