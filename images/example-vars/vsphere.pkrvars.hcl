# vSphere: where the template is built. The connection and credentials come from VSPHERE_SERVER,
# VSPHERE_USER and VSPHERE_PASSWORD in the environment.
vsphere_datacenter           = "dc1"
vsphere_cluster              = "cluster1"
vsphere_datastore            = "datastore1"
vsphere_folder               = "phoenix/templates"
vsphere_network              = "build"
vsphere_base_template        = "debian-12-cloud"
vsphere_ssh_username         = "debian"
vsphere_ssh_private_key_file = "build-key"
