"""Custom SageMaker images, and what a user profile, a space or an app may name of an event's material.

Images are kept minimal: CreateImage, CreateImageVersion, CreateAppImageConfig and their Describe calls,
enough for a client to check an image and for Studio's rules on them. The rules:

- A lifecycle configuration runs in an app only if it is attached to the user profile or the domain
  (``LifecycleConfigArns``: "The Amazon Resource Name (ARN) of the lifecycle configurations attached to
  the user profile or domain", botocore's model; the developer guide's jl-lcc-create attaches them there,
  and AWS's auto-stop-idle sample attaches its own to the domain's DefaultUserSettings). For a space's app
  the user profile is the space's owner; a shared space with no owner has the domain's only.
- A custom image runs in a JupyterLab app only if the user profile or the domain lists it in
  ``CustomImages`` (botocore's model: "A list of custom SageMaker images that are configured to run as a
  JupyterLab app"), and only with a version and its app image config.
- Where AWS does not say when it checks (at UpdateUserProfile, CreateSpace, UpdateSpace or CreateApp),
  the emulator checks at each, the stricter choice; the messages are unrecorded.
"""

from __future__ import annotations

import time

from .errors import ApiError


def _get(settings: dict | None, *path: str):
    """``settings[path[0]][path[1]]...``, or None where a level is missing."""
    for key in path:
        if not isinstance(settings, dict):
            return None
        settings = settings.get(key)
    return settings


class Images:
    """The image calls and the material rules, mixed into Studio (which gives region, account, lock,
    lifecycle_configs, profiles, domains and ``_domain``/``_owner_of``)."""

    def _reset_images(self) -> None:
        self.images: dict[str, dict] = {}  # name -> {"arn", "created", "role", "versions": [..]}
        self.app_image_configs: dict[str, dict] = {}  # name -> {"arn", "created", "settings"}

    def _sagemaker_arn(self, path: str) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account_id}:{path}"

    # ----- the calls ---------------------------------------------------------------------------
    def CreateImage(self, p):
        name = p["ImageName"]
        if name in self.images:
            raise ApiError("ResourceInUse", f"Image {name} already exists")
        arn = self._sagemaker_arn(f"image/{name}")
        self.images[name] = {"arn": arn, "created": time.time(), "role": p["RoleArn"], "versions": []}
        return {"ImageArn": arn}

    def _image(self, name: str) -> dict:
        image = self.images.get(name)
        if image is None:
            raise ApiError("ResourceNotFound", f"Image {name} does not exist")
        return image

    def DescribeImage(self, p):
        image = self._image(p["ImageName"])
        return {
            "ImageArn": image["arn"],
            "ImageName": p["ImageName"],
            "ImageStatus": "CREATED",
            "RoleArn": image["role"],
            "CreationTime": image["created"],
            "LastModifiedTime": image["created"],
        }

    def CreateImageVersion(self, p):
        image = self._image(p["ImageName"])
        number = len(image["versions"]) + 1
        arn = self._sagemaker_arn(f"image-version/{p['ImageName']}/{number}")
        image["versions"].append({"arn": arn, "number": number, "base": p["BaseImage"], "created": time.time()})
        return {"ImageVersionArn": arn}

    def DescribeImageVersion(self, p):
        image = self._image(p["ImageName"])
        wanted = p.get("Version")
        found = [v for v in image["versions"] if wanted is None or v["number"] == wanted]
        if not found:
            raise ApiError("ResourceNotFound", f"Image {p['ImageName']} has no version {wanted or ''}".rstrip())
        version = found[-1]
        return {
            "ImageArn": image["arn"],
            "ImageVersionArn": version["arn"],
            "ImageVersionStatus": "CREATED",
            "Version": version["number"],
            "BaseImage": version["base"],
            "CreationTime": version["created"],
            "LastModifiedTime": version["created"],
        }

    def CreateAppImageConfig(self, p):
        name = p["AppImageConfigName"]
        if name in self.app_image_configs:
            raise ApiError("ResourceInUse", f"AppImageConfig {name} already exists")
        arn = self._sagemaker_arn(f"app-image-config/{name}")
        settings = {k: v for k, v in p.items() if k.endswith("ImageConfig")}
        self.app_image_configs[name] = {"arn": arn, "created": time.time(), "settings": settings}
        return {"AppImageConfigArn": arn}

    def DescribeAppImageConfig(self, p):
        config = self.app_image_configs.get(p["AppImageConfigName"])
        if config is None:
            raise ApiError("ResourceNotFound", f"AppImageConfig {p['AppImageConfigName']} does not exist")
        return {
            "AppImageConfigArn": config["arn"],
            "AppImageConfigName": p["AppImageConfigName"],
            "CreationTime": config["created"],
            "LastModifiedTime": config["created"],
            **config["settings"],
        }

    # ----- the rules ---------------------------------------------------------------------------
    def _check_user_material(self, settings: dict | None) -> None:
        """A profile's (or a domain's) UserSettings: the lifecycle configurations it attaches exist and
        are JupyterLab's, its default is one of them, and its custom images can run."""
        block = _get(settings, "JupyterLabAppSettings") or {}
        attached = block.get("LifecycleConfigArns") or []
        for arn in attached:
            config = self._config_by_arn(arn)
            if config.attrs["StudioLifecycleConfigAppType"] != "JupyterLab":
                raise ApiError(
                    "ValidationException",
                    f"Lifecycle configuration {config.name} is for {config.attrs['StudioLifecycleConfigAppType']} "
                    "apps, not JupyterLab",
                )
        default = _get(block, "DefaultResourceSpec", "LifecycleConfigArn")
        if default and default != "None" and default not in attached:
            raise ApiError(
                "ValidationException",
                f"The default lifecycle configuration {default} must be one of LifecycleConfigArns {attached}",
            )
        for image in block.get("CustomImages") or []:
            self._check_custom_image(image)

    def _check_custom_image(self, image: dict) -> None:
        found = self._image(image["ImageName"])
        number = image.get("ImageVersionNumber")
        if not found["versions"] or (number is not None and number not in [v["number"] for v in found["versions"]]):
            raise ApiError("ValidationException", f"Image {image['ImageName']} has no version {number or ''}".rstrip())
        if image["AppImageConfigName"] not in self.app_image_configs:
            raise ApiError("ResourceNotFound", f"AppImageConfig {image['AppImageConfigName']} does not exist")

    def _config_by_arn(self, arn: str):
        config = next((c for c in self.lifecycle_configs.values() if c.arn == arn), None)
        if config is None:
            raise ApiError("ResourceNotFound", f"Studio lifecycle configuration {arn} does not exist")
        return config

    def _check_space_material(self, domain, owner, spec: dict | None, what: str) -> None:
        """A space's (or its app's) resource spec: its lifecycle configuration and image exist and are
        attached to the owner's user profile or to the domain (see the module's docstring)."""
        sources = [owner.attrs.get("UserSettings") if owner else None, domain.attrs.get("DefaultUserSettings")]
        sources.append(domain.attrs.get("DefaultSpaceSettings"))
        blocks = [_get(source, "JupyterLabAppSettings") or {} for source in sources]
        where = f"user profile {owner.name} or the domain" if owner else "the domain"
        config_arn = _get(spec, "LifecycleConfigArn")
        if config_arn and config_arn != "None":
            self._config_by_arn(config_arn)
            if not any(config_arn in (b.get("LifecycleConfigArns") or []) for b in blocks):
                raise ApiError(
                    "ValidationException",
                    f"{what}: lifecycle configuration {config_arn} is not attached to {where} (LifecycleConfigArns)",
                )
        image_arn = _get(spec, "SageMakerImageArn") or _image_of_version(_get(spec, "SageMakerImageVersionArn"))
        if image_arn and image_arn != "None":
            name = image_arn.rsplit("/", 1)[-1]
            self._image(name)
            if not any(name in [i["ImageName"] for i in b.get("CustomImages") or []] for b in blocks):
                raise ApiError("ValidationException", f"{what}: image {name} is not in the CustomImages of {where}")


def _image_of_version(version_arn):
    """The image ARN of an image version ARN (``...:image-version/<name>/<n>``)."""
    if not version_arn or version_arn == "None":
        return None
    prefix, _, path = version_arn.partition(":image-version/")
    return f"{prefix}:image/{path.rsplit('/', 1)[0]}"
