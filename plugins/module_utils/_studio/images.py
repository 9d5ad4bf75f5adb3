# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A custom SageMaker image for the event's spaces (``studio_image``), read and checked.

A JupyterLab app runs a custom image when the user profile (or domain) lists it in
``JupyterLabAppSettings.CustomImages`` (image name, app image config name, version number: botocore's
model ``CustomImage``) and its resource spec names it (``SageMakerImageArn``, or
``SageMakerImageVersionArn`` for one version). An image without a version cannot run, nor one without
its app image config: both are checked with the image.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError


def describe_image(api, name: str, version=None, app_image_config=None) -> dict:
    """{image_arn, image_version_arn, version, app_image_config}: the image as AWS describes it; an
    ItemError naming what is missing if the image, the version or the app image config is not there."""
    app_image_config = app_image_config or name
    try:
        image = api.call("DescribeImage", ImageName=name)
    except is_boto3_error_code("ResourceNotFound"):
        raise ItemError(
            f"studio_image: SageMaker image {name} does not exist (DescribeImage); create it first"
        ) from None
    try:
        found = api.call("DescribeImageVersion", ImageName=name, **({"Version": version} if version else {}))
    except is_boto3_error_code("ResourceNotFound"):
        which = f"version {version}" if version else "version"
        raise ItemError(f"studio_image: SageMaker image {name} has no {which} (DescribeImageVersion)") from None
    try:
        api.call("DescribeAppImageConfig", AppImageConfigName=app_image_config)
    except is_boto3_error_code("ResourceNotFound"):
        raise ItemError(
            f"studio_image: app image config {app_image_config} of image {name} does not exist "
            "(DescribeAppImageConfig); create it, or name it in studio_image.app_image_config"
        ) from None
    return {
        "image_arn": image["ImageArn"],
        "image_version_arn": found["ImageVersionArn"] if version else None,
        "version": found.get("Version"),
        "app_image_config": app_image_config,
    }


def custom_image(name: str, version=None, app_image_config=None) -> dict:
    """The ``CustomImage`` entry of a user profile's JupyterLabAppSettings (the app image config: the
    image's name unless given)."""
    entry = {"ImageName": name, "AppImageConfigName": app_image_config or name}
    if version:
        entry["ImageVersionNumber"] = version
    return entry
