# AWS: an instance from Debian's own AMI, provisioned, then registered as an encrypted AMI and
# copied to the other regions. Credentials come from the environment (AWS_PROFILE, or the
# temporary ones the release workflow gets by OIDC).

variable "aws_region" {
  type        = string
  default     = "us-east-1"
  description = "Region the build instance runs in; the AMI is registered there."
}

variable "aws_ami_regions" {
  type        = list(string)
  default     = []
  description = "Further regions the AMI is copied to: every aws:region a stack of this service runs in. AMI IDs differ per region."
}

variable "aws_instance_type" {
  type        = string
  default     = "t3.small"
  description = "Instance type of the build instance."
}

source "amazon-ebs" "app" {
  region        = var.aws_region
  ami_regions   = var.aws_ami_regions
  instance_type = var.aws_instance_type
  ami_name      = local.image_name
  encrypt_boot  = true
  ssh_username  = "admin"

  source_ami_filter {
    filters = {
      name                = "debian-12-amd64-*"
      architecture        = "x86_64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    # Debian's own AWS account.
    owners      = ["136693071363"]
    most_recent = true
  }

  tags = {
    Name    = local.image_name
    service = var.service
    version = var.version
  }
  snapshot_tags = {
    Name    = local.image_name
    service = var.service
    version = var.version
  }
}
