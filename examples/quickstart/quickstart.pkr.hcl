# kiln's quick start: bake a small Debian-package VM image with QEMU.
# `npm run quickstart` builds the base image, makes an SSH key and runs this template;
# by hand: kiln build -var base=... -var ssh_key=... -var output_directory=... .

variable "base" {
  type        = string
  description = "The base disk image (qcow2) to start from."
}

variable "ssh_key" {
  type        = string
  description = "Private key for root; the VM gets <ssh_key>.pub through QEMU's fw_cfg."
}

variable "output_directory" {
  type    = string
  default = "output-quickstart"
}

source "qemu" "quickstart" {
  disk_image       = true
  iso_url          = var.base
  iso_checksum     = "none"
  format           = "qcow2"
  disk_size        = "256M"
  skip_resize_disk = true
  headless         = true
  memory           = 512
  boot_wait        = "-1s"

  ssh_username         = "root"
  ssh_private_key_file = var.ssh_key
  ssh_timeout          = "5m"
  shutdown_command     = "poweroff"
  qemuargs             = [["-fw_cfg", "name=opt/ssh_authorized_keys,file=${var.ssh_key}.pub"]]

  output_directory = var.output_directory
  vm_name          = "quickstart.qcow2"
}

build {
  sources = ["source.qemu.quickstart"]

  provisioner "file" {
    source      = "${path.root}/files/motd"
    destination = "/etc/motd"
  }

  provisioner "shell" {
    inline = [
      "echo \"baked by kiln ($PACKER_BUILDER_TYPE.$PACKER_BUILD_NAME) on $(date -u +%Y-%m-%dT%H:%M:%SZ)\" > /etc/kiln-release",
      "cat /etc/motd /etc/kiln-release",
    ]
  }

  post-processor "manifest" {
    output = "${var.output_directory}/manifest.json"
  }

  post-processor "checksum" {
    checksum_types = ["sha256"]
    output         = "${var.output_directory}/{{.BuildName}}.{{.ChecksumType}}"
  }
}
