# One build for every platform: the same upload and the same provisioning scripts, whichever
# source builds the image. Build one platform with -only, e.g.
#   packer build -only=amazon-ebs.app -var-file=release.pkrvars.hcl images

build {
  sources = [
    "source.digitalocean.app",
    "source.amazon-ebs.app",
    "source.vsphere-clone.app",
  ]

  provisioner "file" {
    source      = var.artifact
    destination = "/tmp/phoenix-artifact.tar.gz"
  }

  # As root whether packer logs in as root (DigitalOcean) or as a sudo user (AWS, vSphere).
  provisioner "shell" {
    environment_vars = [
      "PHOENIX_SERVICE=${var.service}",
      "PHOENIX_VERSION=${var.version}",
      "PHOENIX_ARTIFACT=/tmp/phoenix-artifact.tar.gz",
    ]
    execute_command = "chmod +x {{ .Path }}; if [ \"$(id -u)\" = 0 ]; then env {{ .Vars }} {{ .Path }}; else sudo env {{ .Vars }} {{ .Path }}; fi"
    scripts = [
      "${path.root}/provision/base.sh",
      "${path.root}/provision/install-app.sh",
      "${path.root}/provision/cleanup.sh",
    ]
  }

  post-processor "manifest" {
    output     = var.manifest_path
    strip_path = true
    # What tools/release/set-image.ts reads: the app and version, and for a vSphere template the
    # vCenter it was built on (a template serves only the stacks of that vCenter).
    custom_data = {
      service        = var.service
      version        = var.version
      image_name     = local.image_name
      vsphere_server = var.vsphere_server
    }
  }
}
