# What every image is built from, whatever the platform: the app's release and its version.
# Nothing about an environment (dev, prod), a stack or a secret of the app goes into an image:
# Phoenix's cloud-init user data writes those on each server when it boots.

variable "service" {
  type        = string
  description = "The app's systemd unit name without .service, as in phoenix:service (e.g. shop)."

  validation {
    condition = (
      length(var.service) > 0 &&
      regex_replace(var.service, "^[A-Za-z0-9][A-Za-z0-9_.-]*$", "") == "" &&
      trimsuffix(var.service, ".service") == var.service
    )
    error_message = "The service variable must be a systemd unit name without \".service\": a letter or digit, then letters, digits, \"_\", \".\" and \"-\" (e.g. shop)."
  }
}

variable "version" {
  type        = string
  description = "The app's release version, e.g. 1.4.2 (the tag v1.4.2 without its v)."

  validation {
    condition = (
      length(var.version) > 0 &&
      regex_replace(var.version, "^[A-Za-z0-9][A-Za-z0-9_.-]*$", "") == ""
    )
    error_message = "The version variable must be a letter or digit, then letters, digits, \"_\", \".\" and \"-\" (e.g. 1.4.2), so that image names stay valid on every platform."
  }
}

variable "artifact" {
  type        = string
  description = "Path, on the machine running packer, of the app's release archive (.tar.gz): the app's files, with its unit <service>.service at the top level."
}

variable "manifest_path" {
  type        = string
  default     = "packer-manifest.json"
  description = "Where the manifest post-processor writes the IDs of the images built."
}

locals {
  # UTC, to the minute: two builds of one version get different names.
  build_time = formatdate("YYYYMMDDhhmm", timestamp())
}

locals {
  # e.g. shop-1.4.2-202611251830: letters, digits, ".", "-" and "_" only, so the same name is a
  # valid snapshot name, AMI name and vSphere template name (Phoenix's vSphere image names).
  image_name = "${var.service}-${var.version}-${local.build_time}"
}
