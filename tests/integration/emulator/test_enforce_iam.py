"""IAM at the emulator's endpoint (moto's), and, with ``enforce_iam``, SageMaker requests authorized by it.

The module runs its own emulator in eu-west-1, so that IAM's global signing scope (us-east-1) is tested
against an emulator of another region. A participant of team 7 signs with the session credentials of
an assumed role (SourceIdentity: their profile; session tag team=7); an IAM user with its access key;
the organizer with keys IAM never issued (the account's root: everything allowed).
"""

from __future__ import annotations

import json
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from hackathon_studio.emulator.process import EmulatorProcess

REGION = "eu-west-1"
ACCOUNT = "123456789012"
DOMAIN = "d-hackathon0001"
ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"
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


@pytest.fixture
def sagemaker(emulator):
    """The organizer's client (root keys), for the shared ``studio`` builders."""
    return client(emulator, "sagemaker")


def client(emulator, service: str, region: str = REGION, **credentials):
    kwargs = dict(emulator.client_kwargs(region=region), **credentials)
    config = Config(retries={"total_max_attempts": 1}, parameter_validation=False)
    return boto3.client(service, config=config, **kwargs)


def as_session(emulator, credentials: dict, service: str = "sagemaker"):
    return client(
        emulator,
        service,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def denied(call, **params) -> str:
    """The message of the AccessDeniedException (HTTP 400) ``call(**params)`` must fail with."""
    with pytest.raises(ClientError) as info:
        call(**params)
    response = info.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "AccessDeniedException",
        400,
    ), response["Error"]
    return response["Error"]["Message"]


def refused(code: str, call, **params) -> None:
    with pytest.raises(ClientError) as info:
        call(**params)
    assert info.value.response["Error"]["Code"] == code, info.value.response["Error"]


def policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# Team 7's participant role: apps only in its team's space, on small instances; a login URL only for
# the profile named by the session's SourceIdentity; spaces of its team (session tag) only.
TEAM_POLICY = policy(
    {
        "Effect": "Allow",
        "Action": ["sagemaker:CreateApp", "sagemaker:DeleteApp"],
        "Resource": f"{ARN}:app/{DOMAIN}/team-7/*",
        "Condition": {"ForAllValues:StringLike": {"sagemaker:InstanceTypes": ["ml.t3.*"]}},
    },
    {
        "Effect": "Allow",
        "Action": "sagemaker:CreatePresignedDomainUrl",
        "Resource": f"{ARN}:user-profile/{DOMAIN}/${{aws:SourceIdentity}}",
    },
    {
        "Effect": "Allow",
        "Action": "sagemaker:DescribeSpace",
        "Resource": f"{ARN}:space/{DOMAIN}/*",
        "Condition": {"StringEquals": {"sagemaker:ResourceTag/hackathon:team": "${aws:PrincipalTag/team}"}},
    },
    {"Effect": "Allow", "Action": "sagemaker:List*", "Resource": "*"},
)


def build_event(emulator, studio) -> None:
    """As the organizer: three profiles, and the shared spaces of teams 7 and 3, tagged with their team."""
    for name in ("ada", "bob", "organizer"):
        studio.profile(name)
    for team in ("7", "3"):
        studio.space(
            f"team-{team}", owner="organizer", sharing="Shared", Tags=[{"Key": "hackathon:team", "Value": team}]
        )


def team_session(emulator, source_identity: str = "ada") -> dict:
    iam = client(emulator, "iam")
    arn = iam.create_role(RoleName="team-7", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName="team-7", PolicyName="team", PolicyDocument=TEAM_POLICY)
    session = client(emulator, "sts").assume_role(
        RoleArn=arn, RoleSessionName="ada-login", SourceIdentity=source_identity, Tags=[{"Key": "team", "Value": "7"}]
    )
    return session["Credentials"]


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


def test_enforce_iam_is_off_by_default_shown_in_config_and_cleared_by_reset(emulator, control):
    assert emulator.config()["enforce_iam"] is False
    assert emulator.config(enforce_iam=True)["enforce_iam"] is True
    status, body = control("POST", "config", b'{"enforce_iam": "yes"}')
    assert status == 400 and body["error"] == "enforce_iam must be true or false, got 'yes'"
    assert emulator.config()["enforce_iam"] is True
    emulator.reset()
    assert emulator.config()["enforce_iam"] is False


def test_a_participant_reaches_their_team_space_and_own_profile_only(emulator, studio):
    build_event(emulator, studio)
    credentials = team_session(emulator)
    participant = as_session(emulator, credentials)
    emulator.config(enforce_iam=True)
    app = {"DomainId": DOMAIN, "AppType": "JupyterLab", "AppName": "default"}
    small, large = {"InstanceType": "ml.t3.medium"}, {"InstanceType": "ml.g5.xlarge"}
    team_3_app = f"{ARN}:app/{DOMAIN}/team-3/jupyterlab/default"
    message = denied(participant.create_app, SpaceName="team-3", ResourceSpec=small, **app)
    assert message == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/team-7/ada-login is not authorized to perform: "
        f"sagemaker:CreateApp on resource: {team_3_app} because no identity-based policy allows the "
        "sagemaker:CreateApp action"
    )
    # Authorization comes before validation: an instance type no API accepts is still AccessDenied.
    assert team_3_app in denied(participant.create_app, SpaceName="team-3", ResourceSpec={"InstanceType": "x"}, **app)
    assert "sagemaker:CreateApp" in denied(participant.create_app, SpaceName="team-7", ResourceSpec=large, **app)
    # Tags on a create call are authorized as sagemaker:AddTags too, which the team's role lacks.
    tags = [{"Key": "hackathon:team", "Value": "7"}]
    message = denied(participant.create_app, SpaceName="team-7", ResourceSpec=small, Tags=tags, **app)
    assert f"perform: sagemaker:AddTags on resource: {ARN}:app/{DOMAIN}/team-7/jupyterlab/default because" in message
    participant.create_app(SpaceName="team-7", ResourceSpec=small, **app)
    studio.wait_status(lambda: studio.app_status("team-7"), "InService")
    assert participant.list_apps(DomainIdEquals=DOMAIN)["Apps"]

    presign = participant.create_presigned_domain_url
    assert presign(DomainId=DOMAIN, UserProfileName="ada")["AuthorizedUrl"]
    for other in ("bob", "organizer"):
        assert f"user-profile/{DOMAIN}/{other} because" in denied(presign, DomainId=DOMAIN, UserProfileName=other)

    assert participant.describe_space(DomainId=DOMAIN, SpaceName="team-7")["SpaceName"] == "team-7"
    denied(participant.describe_space, DomainId=DOMAIN, SpaceName="team-3")
    for call, params in [
        (participant.update_space, {"SpaceName": "team-7", "SpaceSettings": {}}),
        (participant.delete_space, {"SpaceName": "team-7"}),
        (participant.delete_user_profile, {"UserProfileName": "ada"}),
        (participant.delete_app, {"SpaceName": "team-3", "AppType": "JupyterLab", "AppName": "default"}),
    ]:
        denied(call, DomainId=DOMAIN, **params)
    denied(as_session(emulator, credentials, "resourcegroupstaggingapi").get_resources)
    participant.delete_app(SpaceName="team-7", **app)
    calls = emulator.calls()
    assert calls["failed"]["CreateApp"] == 4 and calls["failed"]["CreatePresignedDomainUrl"] == 2
    assert calls["failed"]["Tagging.GetResources"] == 1


def test_an_iam_user_is_held_to_its_own_group_and_managed_policies(emulator, studio):
    studio.space("team-7")
    iam = client(emulator, "iam")
    iam.create_user(UserName="carol")
    actions = ["sagemaker:Describe*", "sagemaker:DeleteSpace", "sagemaker:CreateUserProfile"]
    read = policy({"Effect": "Allow", "Action": actions, "Resource": "*"})
    managed = iam.create_policy(PolicyName="read", PolicyDocument=read)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="carol", PolicyArn=managed)
    iam.create_group(GroupName="participants")
    iam.add_user_to_group(GroupName="participants", UserName="carol")
    no_delete = policy({"Effect": "Deny", "Action": "sagemaker:Delete*", "Resource": f"{ARN}:space/*"})
    iam.put_group_policy(GroupName="participants", PolicyName="no-delete", PolicyDocument=no_delete)
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    carol = client(
        emulator, "sagemaker", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    emulator.config(enforce_iam=True)
    assert carol.describe_space(DomainId=DOMAIN, SpaceName="team-7")["SpaceName"] == "team-7"
    user = f"User: arn:aws:iam::{ACCOUNT}:user/carol is not authorized to perform"
    assert denied(carol.list_spaces) == (
        f"{user}: sagemaker:ListSpaces on resource: {ARN}:* because no identity-based policy allows the "
        "sagemaker:ListSpaces action"
    )
    assert denied(carol.delete_space, DomainId=DOMAIN, SpaceName="team-7") == (
        f"{user}: sagemaker:DeleteSpace on resource: {ARN}:space/{DOMAIN}/team-7 with an explicit deny in an "
        "identity-based policy"
    )
    # A user profile's execution role needs iam:PassRole on it.
    role = f"arn:aws:iam::{ACCOUNT}:role/participant"
    settings = {"ExecutionRole": role}
    message = denied(carol.create_user_profile, DomainId=DOMAIN, UserProfileName="dan", UserSettings=settings)
    assert f"{user}: iam:PassRole on resource: {role} because no identity-based policy allows" in message
    # A made-up secret for carol's real key id is refused, as is a wrong secret for a session's key.
    forged = client(emulator, "sagemaker", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key="made-up")
    refused("InvalidSignatureException", forged.describe_space, DomainId=DOMAIN, SpaceName="team-7")
    iam.update_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    refused("UnrecognizedClientException", carol.describe_space, DomainId=DOMAIN, SpaceName="team-7")


def test_session_keys_need_their_secret_and_token(emulator):
    credentials = team_session(emulator)
    emulator.config(enforce_iam=True)
    wrong_secret = dict(credentials, SecretAccessKey="x" * 40)
    refused("InvalidSignatureException", as_session(emulator, wrong_secret).list_spaces)
    no_token = client(
        emulator,
        "sagemaker",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
    )
    refused("UnrecognizedClientException", no_token.list_spaces)
    assert as_session(emulator, credentials).list_spaces()["Spaces"] == []


def test_root_keys_pass_and_enforce_iam_off_lets_everyone_through(emulator, studio):
    studio.space("team-3")
    participant = as_session(emulator, team_session(emulator))
    emulator.config(enforce_iam=True)
    studio.sm.update_space(DomainId=DOMAIN, SpaceName="team-3", SpaceSettings={})  # the organizer: root
    denied(participant.describe_domain, DomainId=DOMAIN)
    denied(participant.describe_space, DomainId=DOMAIN, SpaceName="team-3")
    emulator.config(enforce_iam=False)
    assert participant.describe_domain(DomainId=DOMAIN)["DomainId"] == DOMAIN
    assert participant.describe_space(DomainId=DOMAIN, SpaceName="team-3")["SpaceName"] == "team-3"


# ----- IAM and DynamoDB, which moto answers ----------------------------------------------------------
EVENT_PATH = "/hackathon/spring/"
ROLES = f"arn:aws:iam::{ACCOUNT}:role{EVENT_PATH}*"
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/registry"
SPRING = [{"Key": "hackathon:event", "Value": "spring"}]


def iam_user(emulator, name: str, document: str, service: str):
    """A client of ``service`` signed with the access key of a new IAM user holding ``document``."""
    iam = client(emulator, "iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return client(emulator, service, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])


def iam_denied(call, **params) -> str:
    """The message of IAM's AccessDenied (query protocol, HTTP 403) ``call(**params)`` must fail with."""
    with pytest.raises(ClientError) as info:
        call(**params)
    response = info.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDenied", 403)
    return response["Error"]["Message"]


def test_iam_create_role_only_under_the_events_path_and_with_its_tag(emulator):
    builder = iam_user(
        emulator,
        "builder",
        policy(
            {
                "Effect": "Allow",
                "Action": ["iam:CreateRole", "iam:TagRole"],
                "Resource": ROLES,
                "Condition": {
                    "StringEquals": {"aws:RequestTag/hackathon:event": "spring"},
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["hackathon:event"]},
                },
            },
            {
                "Effect": "Allow",
                "Action": "iam:GetRole",
                "Resource": ROLES,
                "Condition": {"StringEquals": {"aws:ResourceTag/hackathon:event": "spring"}},
            },
        ),
        "iam",
    )
    root = client(emulator, "iam")
    root.create_role(RoleName="untagged", Path=EVENT_PATH, AssumeRolePolicyDocument=json.dumps(TRUST))
    emulator.config(enforce_iam=True)
    create = {"AssumeRolePolicyDocument": json.dumps(TRUST), "Tags": SPRING}
    user = f"User: arn:aws:iam::{ACCOUNT}:user/builder is not authorized to perform"
    assert iam_denied(builder.create_role, RoleName="team-7", **create) == (
        f"{user}: iam:CreateRole on resource: arn:aws:iam::{ACCOUNT}:role/team-7 because no identity-based "
        "policy allows the iam:CreateRole action"
    )
    iam_denied(builder.create_role, RoleName="team-7", Path=EVENT_PATH, AssumeRolePolicyDocument=json.dumps(TRUST))
    autumn = [{"Key": "hackathon:event", "Value": "autumn"}]
    iam_denied(builder.create_role, RoleName="team-7", Path=EVENT_PATH, **{**create, "Tags": autumn})
    extra = [*SPRING, {"Key": "owner", "Value": "ada"}]
    iam_denied(builder.create_role, RoleName="team-7", Path=EVENT_PATH, **{**create, "Tags": extra})
    arn = builder.create_role(RoleName="team-7", Path=EVENT_PATH, **create)["Role"]["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:role{EVENT_PATH}team-7"
    assert builder.get_role(RoleName="team-7")["Role"]["Arn"] == arn
    # Without the event's tag, and for a role that does not exist (no tags: AccessDenied, not NoSuchEntity).
    assert iam_denied(builder.get_role, RoleName="untagged") == (
        f"{user}: iam:GetRole on resource: role untagged because no identity-based policy allows the iam:GetRole action"
    )
    iam_denied(builder.get_role, RoleName="team-9")
    assert "iam:ListRoles on resource: arn:aws:iam::123456789012:role/ because" in iam_denied(builder.list_roles)
    calls = emulator.calls()
    assert calls["failed"]["IAM.CreateRole"] == 4 and calls["failed"]["IAM.GetRole"] == 2


def test_iam_tag_role_is_checked_with_create_role_when_tags_are_given(emulator):
    creator = iam_user(
        emulator,
        "creator",
        policy({"Effect": "Allow", "Action": ["iam:CreateRole", "iam:ListRoles"], "Resource": ["*"]}),
        "iam",
    )
    emulator.config(enforce_iam=True)
    trust = json.dumps(TRUST)
    message = iam_denied(creator.create_role, RoleName="team-7", AssumeRolePolicyDocument=trust, Tags=SPRING)
    assert f"iam:TagRole on resource: arn:aws:iam::{ACCOUNT}:role/team-7 because" in message
    creator.create_role(RoleName="team-7", AssumeRolePolicyDocument=trust)
    assert [r["RoleName"] for r in creator.list_roles()["Roles"] if r["RoleName"] == "team-7"] == ["team-7"]


def registry(emulator):
    """The registry table (partition key ``event``), created by the organizer (root keys), ACTIVE."""
    dynamodb = client(emulator, "dynamodb")
    dynamodb.create_table(
        TableName="registry",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("event", "item")],
        KeySchema=[{"AttributeName": "event", "KeyType": "HASH"}, {"AttributeName": "item", "KeyType": "RANGE"}],
    )
    deadline = time.monotonic() + 10
    while dynamodb.describe_table(TableName="registry")["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, "the registry table never turned ACTIVE"
        time.sleep(0.02)
    return dynamodb


def dynamodb_denied(call, **params) -> str:
    """The message of DynamoDB's AccessDeniedException (JSON 1.0, HTTP 400) ``call(**params)`` must fail with."""
    with pytest.raises(ClientError) as info:
        call(**params)
    response = info.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "AccessDeniedException",
        400,
    ), response["Error"]
    return response["Error"]["Message"]


def entry(event: str, item: str = "config") -> dict:
    return {"event": {"S": event}, "item": {"S": item}}


def test_dynamodb_items_only_of_the_events_partition(emulator):
    root = registry(emulator)
    organizer = iam_user(
        emulator,
        "organizer",
        policy(
            {
                "Effect": "Allow",
                "Action": ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:BatchWriteItem"],
                "Resource": TABLE,
                "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["spring"]}},
            }
        ),
        "dynamodb",
    )
    emulator.config(enforce_iam=True)
    organizer.put_item(TableName="registry", Item=entry("spring"))
    user = f"User: arn:aws:iam::{ACCOUNT}:user/organizer is not authorized to perform"
    assert dynamodb_denied(organizer.put_item, TableName="registry", Item=entry("autumn")) == (
        f"{user}: dynamodb:PutItem on resource: {TABLE} because no identity-based policy allows the "
        "dynamodb:PutItem action"
    )

    def query(event: str) -> dict:
        return {
            "TableName": "registry",
            "KeyConditionExpression": "#e = :e AND begins_with(#i, :p)",
            "ExpressionAttributeNames": {"#e": "event", "#i": "item"},
            "ExpressionAttributeValues": {":e": {"S": event}, ":p": {"S": "con"}},
        }

    assert organizer.query(**query("spring"))["Items"] == [entry("spring")]
    assert "dynamodb:Query on resource" in dynamodb_denied(organizer.query, **query("autumn"))

    spring = [{"PutRequest": {"Item": entry("spring", f"team#{n}")}} for n in range(3)]
    organizer.batch_write_item(RequestItems={"registry": spring})
    # One key of another partition denies the table's whole batch: nothing of it is written.
    mixed = [{"PutRequest": {"Item": entry("spring", "team#9")}}, {"DeleteRequest": {"Key": entry("autumn")}}]
    assert "dynamodb:BatchWriteItem on resource" in dynamodb_denied(
        organizer.batch_write_item, RequestItems={"registry": mixed}
    )
    assert "Item" not in root.get_item(TableName="registry", Key=entry("spring", "team#9"))
    assert root.get_item(TableName="registry", Key=entry("spring", "team#2"))["Item"] == entry("spring", "team#2")
    # Actions the policy does not name, on the table or on no table.
    assert "dynamodb:GetItem" in dynamodb_denied(organizer.get_item, TableName="registry", Key=entry("spring"))
    assert "dynamodb:ListTables on resource: * because" in dynamodb_denied(organizer.list_tables)
    calls = emulator.calls()
    assert calls["failed"]["DynamoDB.PutItem"] == 1 and calls["failed"]["DynamoDB.BatchWriteItem"] == 1


def test_dynamodb_create_table_with_tags_needs_tag_resource_with_the_events_tag(emulator):
    creator = iam_user(
        emulator,
        "creator",
        policy(
            {
                "Effect": "Allow",
                "Action": ["dynamodb:CreateTable", "dynamodb:TagResource"],
                "Resource": TABLE,
                "Condition": {"StringEquals": {"aws:RequestTag/hackathon:event": "spring"}},
            }
        ),
        "dynamodb",
    )
    emulator.config(enforce_iam=True)
    table = {
        "TableName": "registry",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "event", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "event", "KeyType": "HASH"}],
    }
    dynamodb_denied(creator.create_table, **table)
    dynamodb_denied(creator.create_table, **table, Tags=[{"Key": "hackathon:event", "Value": "autumn"}])
    creator.create_table(**table, Tags=SPRING)
    emulator.config(enforce_iam=False)
    assert client(emulator, "dynamodb").list_tables()["TableNames"] == ["registry"]


def trust(principal, actions=("sts:AssumeRole",)) -> str:
    return policy({"Effect": "Allow", "Principal": principal, "Action": list(actions)})


def sts_denied(call, **params) -> str:
    with pytest.raises(ClientError) as info:
        call(**params)
    response = info.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDenied", 403)
    return response["Error"]["Message"]


def test_assume_role_follows_the_roles_trust_policy(emulator):
    """IAM User Guide, "Cross account resource access in IAM": in one account a trust policy naming the
    caller suffices; naming the account needs the caller's own sts:AssumeRole too."""
    may_assume = policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    dev = iam_user(emulator, "dev", may_assume, "sts")
    named = iam_user(emulator, "named", policy({"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}), "sts")
    iam = client(emulator, "iam")
    roles = {
        "account": trust({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
        "named": trust({"AWS": [f"arn:aws:iam::{ACCOUNT}:user/named"]}),
        "sagemaker": trust({"Service": "sagemaker.amazonaws.com"}, ("sts:AssumeRole", "sts:SetSourceIdentity")),
    }
    arns = {
        name: iam.create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"]
        for name, document in roles.items()
    }
    emulator.config(enforce_iam=True)
    assert dev.assume_role(RoleArn=arns["account"], RoleSessionName="s")["Credentials"]["AccessKeyId"]
    assert sts_denied(named.assume_role, RoleArn=arns["account"], RoleSessionName="s") == (
        f"User: arn:aws:iam::{ACCOUNT}:user/named is not authorized to perform: sts:AssumeRole on resource: "
        f"{arns['account']}"
    )
    assert named.assume_role(RoleArn=arns["named"], RoleSessionName="s")["Credentials"]["AccessKeyId"]
    sts_denied(dev.assume_role, RoleArn=arns["named"], RoleSessionName="s")
    sts_denied(dev.assume_role, RoleArn=arns["sagemaker"], RoleSessionName="s")
    # A source identity needs sts:SetSourceIdentity in the trust policy.
    message = sts_denied(dev.assume_role, RoleArn=arns["account"], RoleSessionName="s", SourceIdentity="ada")
    assert "sts:SetSourceIdentity on resource" in message
    # The organizer's root keys stand in for SageMaker (README): any role.
    root = client(emulator, "sts")
    assert root.assume_role(RoleArn=arns["sagemaker"], RoleSessionName="s", SourceIdentity="ada")["Credentials"]
    assert emulator.calls()["failed"]["STS.AssumeRole"] == 4
