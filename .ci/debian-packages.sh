# The Debian packages kiln's tests use, sourced by scripts/install-test-deps.sh (which
# `npm test` runs first, and .ci/run too). Each issue that needs a server adds it here,
# with a comment naming the test that needs it.
# shellcheck disable=SC2034  # used by the scripts that source this file
DEBIAN_PACKAGES=(
  qemu-system-x86 qemu-utils openssh-client e2fsprogs  # qemu-base image build + boot tests (test/support/qemu-base.ts)
  xorriso mtools  # qemu builder: cd_files (xorriso) and floppy_files (mtools), src/plugins/builders/qemu/qemu.test.ts
  docker.io docker-registry apache2-utils busybox-static  # docker builder/communicator tests (test/support/docker.ts, registry.ts)
  openssh-server openssh-sftp-server openssh-client dropbear-bin dante-server  # SSH communicator tests (test/support/sshd.ts)
  tar gzip xz-utils bzip2 lz4 unzip tabix  # compress post-processor: bzip2 writes .bzip2; the tests read archives back (bgzip is in tabix)
  packer  # Packer 1.6.6 as the reference: test/cli/diagnostic-snippet.test.ts compares validate output; its built-ins are the plugin peers of test/external/*.test.ts
  ansible-core  # ansible/ansible-local provisioners end to end (test/e2e/ansible.test.ts) and bench/ansible.ts
  debootstrap  # the Debian+Python image of test/e2e/ansible-docker.test.ts (test/support/debian-image.ts), made once per machine
  zip  # plugin release zips served by test/support/fake-release-server.ts (test/cli/init.test.ts, src/external/getter/zip-reader.test.ts)
)
