# vSphere: a clone of a Debian 12 template (with cloud-init and open-vm-tools), provisioned, then
# converted to a template named like the other platforms' images. The connection and the
# credentials come from the environment (VSPHERE_SERVER, VSPHERE_USER, VSPHERE_PASSWORD), the
# placement from PKR_VAR_vsphere_* variables or a var file. Left empty, each required one is
# reported by the builder when this source is built or validated.

variable "vsphere_server" {
  type        = string
  default     = env("VSPHERE_SERVER")
  description = "vCenter server host name."
}

variable "vsphere_username" {
  type        = string
  default     = env("VSPHERE_USER")
  description = "vCenter user that may clone, reconfigure and convert virtual machines."
}

variable "vsphere_password" {
  type        = string
  default     = env("VSPHERE_PASSWORD")
  sensitive   = true
  description = "That user's password."
}

variable "vsphere_datacenter" {
  type        = string
  default     = ""
  description = "Datacenter to build in (may be left empty when vCenter has one)."
}

variable "vsphere_cluster" {
  type        = string
  default     = ""
  description = "Cluster the build VM runs on."
}

variable "vsphere_datastore" {
  type        = string
  default     = ""
  description = "Datastore of the build VM and thus of the template."
}

variable "vsphere_folder" {
  type        = string
  default     = ""
  description = "VM folder the template is created in (where Phoenix's stacks look templates up)."
}

variable "vsphere_network" {
  type        = string
  default     = ""
  description = "Network of the build VM; it needs a DHCP address and the Debian mirrors."
}

variable "vsphere_base_template" {
  type        = string
  default     = ""
  description = "The Debian 12 template the build VM is cloned from."
}

variable "vsphere_ssh_username" {
  type        = string
  default     = "debian"
  description = "User packer logs in as on the build VM (it must have passwordless sudo)."
}

variable "vsphere_ssh_private_key_file" {
  type        = string
  default     = ""
  description = "Private key packer logs in with; the base template must accept it."
}

source "vsphere-clone" "app" {
  vcenter_server       = var.vsphere_server
  username             = var.vsphere_username
  password             = var.vsphere_password
  datacenter           = var.vsphere_datacenter
  cluster              = var.vsphere_cluster
  datastore            = var.vsphere_datastore
  folder               = var.vsphere_folder
  network              = var.vsphere_network
  template             = var.vsphere_base_template
  vm_name              = local.image_name
  notes                = "Phoenix image: ${var.service} ${var.version}"
  convert_to_template  = true
  ssh_username         = var.vsphere_ssh_username
  ssh_private_key_file = var.vsphere_ssh_private_key_file
}
