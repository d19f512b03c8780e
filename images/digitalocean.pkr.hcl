# DigitalOcean: a droplet from a stock Debian image, provisioned, then snapshotted. The API token
# comes from the environment (DIGITALOCEAN_API_TOKEN), which the builder reads itself.

variable "digitalocean_region" {
  type        = string
  default     = "nyc3"
  description = "Region the build droplet runs in; the snapshot is available there."
}

variable "digitalocean_snapshot_regions" {
  type        = list(string)
  default     = []
  description = "Further regions the snapshot is copied to: every region a stack of this service runs in (phoenix:region)."
}

variable "digitalocean_base_image" {
  type        = string
  default     = "debian-12-x64"
  description = "The stock image the build droplet starts from."
}

variable "digitalocean_size" {
  type        = string
  default     = "s-1vcpu-1gb"
  description = "Size of the build droplet (a snapshot of it runs on this size or larger)."
}

source "digitalocean" "app" {
  image            = var.digitalocean_base_image
  region           = var.digitalocean_region
  snapshot_regions = var.digitalocean_snapshot_regions
  size             = var.digitalocean_size
  ssh_username     = "root"
  droplet_name     = "packer-${local.image_name}"
  snapshot_name    = local.image_name
  tags             = ["phoenix-image-build"]
}
