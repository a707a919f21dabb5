# The smallest kiln template: a build with no machine (the null builder), one
# local shell step, and a manifest describing what was built.

source "null" "hello" {
  communicator = "none"
}

build {
  sources = ["source.null.hello"]

  provisioner "shell-local" {
    inline = ["echo Hello from ${source.type}.${source.name}"]
  }

  post-processor "manifest" {
    output = "hello-manifest.json"
  }
}
