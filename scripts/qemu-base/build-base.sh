#!/usr/bin/env bash
# Builds kiln's qemu-base image: a tiny Debian-package VM that boots by itself
# (MBR + syslinux on FAT + ext4 root) and serves SSH with dropbear. No loop devices,
# no mounts: mkfs.fat/mtools/syslinux work on plain files and mkfs.ext4 -d fills
# the root fs. Needs root (owners and device nodes in the file systems), apt-get
# with the Debian archive reachable, dpkg-deb, mkfs.ext4 (e2fsprogs) and qemu-img.
#
# Writes to $OUT: base.qcow2, base.raw (unless KEEP_RAW=0), vmlinuz, initrd.img,
# cmdline, SHA256SUMS. See README.md beside this script.
#
# Environment:
#   OUT=<dir>            output folder (default: $WORK/out)
#   WORK=<dir>           scratch folder (default: a fresh temporary folder, removed after)
#   DISK_MB=256 BOOT_MB=32   disk and FAT boot partition sizes
#   KERNEL_META=linux-image-cloud-amd64   kernel meta package, resolved to its ABI package
#   AUTHORIZED_KEYS=<file>   bake these keys into /root/.ssh/authorized_keys
#   QCOW2_COMPRESS=1     compress base.qcow2
#   KEEP_RAW=0           do not keep base.raw in $OUT
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DISK_MB=${DISK_MB:-256}
BOOT_MB=${BOOT_MB:-32}
KERNEL_META=${KERNEL_META:-linux-image-cloud-amd64}
KEEP_RAW=${KEEP_RAW:-1}
CMDLINE=${CMDLINE:-root=LABEL=base-root console=tty0 console=ttyS0,115200 quiet}
# Loaded in this order by the initramfs (with their dependencies first).
MODULES=${MODULES:-virtio_pci virtio_blk virtio_scsi sd_mod virtio_net virtio-rng virtio_console qemu_fw_cfg ata_piix sr_mod isofs vfat nls_cp437 nls_iso8859-1 nls_utf8 button evdev}
PACKAGES=(busybox-static dash dropbear-bin openssh-client openssh-sftp-server
  libc6 libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g
  syslinux syslinux-common dosfstools mtools)

die() { echo "build-base: $*" >&2; exit 1; }
log() { echo "build-base: $*" >&2; }

[[ $(id -u) == 0 ]] || die "must run as root (file owners and device nodes in the image)"
for tool in apt-get apt-cache dpkg-deb mkfs.ext4 qemu-img sha256sum gzip; do
  command -v "$tool" >/dev/null || die "missing host tool '$tool' (Debian: apt-get install qemu-utils e2fsprogs)"
done

if [[ -z ${WORK:-} ]]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/qemu-base.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
OUT=${OUT:-$WORK/out}
mkdir -p "$WORK" "$OUT"
WORK=$(cd "$WORK" && pwd)
OUT=$(cd "$OUT" && pwd)
debs=$WORK/debs stage=$WORK/stage rootfs=$WORK/rootfs initramfs=$WORK/initramfs img=$WORK/img
rm -rf "$stage" "$rootfs" "$initramfs" "$img"
mkdir -p "$debs" "$stage" "$rootfs" "$initramfs" "$img"

# --- 1. packages ------------------------------------------------------------------
resolve_kernel() {
  apt-cache depends "$KERNEL_META" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
download() {
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$@" >/dev/null)
}
kernel_pkg=$(resolve_kernel)
if [[ -z $kernel_pkg ]] || ! download "$kernel_pkg" "${PACKAGES[@]}"; then
  # Stale or missing package lists: the ABI package or a version is gone.
  log "refreshing package lists (apt-get update)"
  apt-get update -q >/dev/null
  kernel_pkg=$(resolve_kernel)
  [[ -n $kernel_pkg ]] || die "cannot resolve $KERNEL_META to a kernel package"
  download "$kernel_pkg" "${PACKAGES[@]}" || die "apt-get download failed"
fi
log "kernel package: $kernel_pkg"
for pkg in "$kernel_pkg" "${PACKAGES[@]}"; do
  deb=$(ls -t "$debs/${pkg}"_*.deb | head -n1)
  dpkg-deb -x "$deb" "$stage"
done
kver=$(ls "$stage/lib/modules")
[[ $(wc -w <<<"$kver") == 1 ]] || die "expected one kernel in $stage/lib/modules, got: $kver"
bb=$stage/bin/busybox
# Build tools run from the extracted packages; the host needs none of them.
export PATH="$stage/usr/bin:$stage/usr/sbin:$stage/sbin:$PATH" MTOOLS_SKIP_CHECK=1

# --- 2. root file system ------------------------------------------------------------
# merged /usr, as Debian 12
mkdir -p "$rootfs"/usr/{bin,sbin,lib,lib64} "$rootfs"/{dev,proc,sys,run,root,tmp,etc,mnt,var/log}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$rootfs/$d"; done
chmod 1777 "$rootfs/tmp"
chmod 700 "$rootfs/root"
ln -s /run "$rootfs/var/run"
mknod -m 600 "$rootfs/dev/console" c 5 1
mknod -m 666 "$rootfs/dev/null" c 1 3

cp "$bb" "$rootfs/usr/bin/busybox"
cp "$stage/bin/dash" "$rootfs/usr/bin/dash"
ln -s dash "$rootfs/usr/bin/sh" # not ash: its built-in poweroff skips our wrapper
cp "$stage/usr/sbin/dropbear" "$stage/usr/bin/dropbearkey" "$rootfs/usr/sbin/"
cp "$stage/usr/bin/scp" "$rootfs/usr/bin/scp"
mkdir -p "$rootfs/usr/lib/openssh"
cp "$stage/usr/lib/openssh/sftp-server" "$rootfs/usr/lib/openssh/sftp-server"
ln -s openssh/sftp-server "$rootfs/usr/lib/sftp-server" # dropbear's compiled-in path
mkdir -p "$rootfs/etc/dropbear"

cp -a "$here/rootfs/." "$rootfs/"
chmod 600 "$rootfs/etc/shadow"
# busybox applets, except those the image provides otherwise
for applet in $("$bb" --list); do
  case "$applet" in sh | poweroff | reboot | halt | busybox) continue ;; esac
  [[ -e $rootfs/usr/bin/$applet || -e $rootfs/usr/sbin/$applet ]] && continue
  ln -s busybox "$rootfs/usr/bin/$applet"
done
ln -s ../bin/busybox "$rootfs/usr/sbin/init"

# Shared libraries of the dynamic binaries, resolved against the extracted packages.
ldso=$stage/lib64/ld-linux-x86-64.so.2
libpath=$stage/lib/x86_64-linux-gnu:$stage/usr/lib/x86_64-linux-gnu
for bin in usr/bin/dash usr/sbin/dropbear usr/sbin/dropbearkey usr/bin/scp usr/lib/openssh/sftp-server; do
  "$ldso" --library-path "$libpath" --list "$rootfs/$bin" | awk '$2 == "=>" { print $3 }'
done | sort -u | while read -r lib; do
  [[ $lib == "$stage"/* ]] || die "library outside the extracted packages: $lib"
  mkdir -p "$rootfs/$(dirname "${lib#"$stage"/}")"
  cp -L "$lib" "$rootfs/${lib#"$stage"/}"
done
cp -L "$ldso" "$rootfs/usr/lib64/ld-linux-x86-64.so.2"

if [[ -n ${AUTHORIZED_KEYS:-} ]]; then
  mkdir -p -m 700 "$rootfs/root/.ssh"
  install -m 600 "$AUTHORIZED_KEYS" "$rootfs/root/.ssh/authorized_keys"
fi
chown -R 0:0 "$rootfs"

# Each must start in the image (libraries complete); scp without arguments prints its usage.
[[ $(chroot "$rootfs" /usr/sbin/dropbear -V 2>&1 || true) == *Dropbear* ]] || die "dropbear does not run in the image"
[[ $(chroot "$rootfs" /usr/bin/scp 2>&1 || true) == *"usage: scp"* ]] || die "scp does not run in the image"
chroot "$rootfs" /bin/sh -c 'test -x /usr/lib/sftp-server' || die "sftp-server missing"

# --- 3. initramfs --------------------------------------------------------------------
# Modules and their dependency closure, in load order. The .deb has no modules.dep,
# so read each module's depends= field.
declare -A ko_path=() visited=()
while IFS= read -r ko; do
  name=$(basename "$ko" .ko)
  ko_path[${name//-/_}]=$ko
done < <(find "$stage/lib/modules/$kver" -name '*.ko')
load_order=()
visit() {
  local key=${1//-/_} deps dep
  [[ -n ${visited[$key]:-} ]] && return 0
  visited[$key]=1
  [[ -n ${ko_path[$key]:-} ]] || die "kernel module $1 not found in $kernel_pkg"
  deps=$("$bb" strings "${ko_path[$key]}" | sed -n 's/^depends=//p' | head -n1)
  for dep in ${deps//,/ }; do visit "$dep"; done
  load_order+=("${ko_path[$key]}")
}
for m in $MODULES; do visit "$m"; done
mkdir -p "$initramfs"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$bb" "$initramfs/bin/busybox"
ln -s busybox "$initramfs/bin/sh"
mknod -m 600 "$initramfs/dev/console" c 5 1
: >"$initramfs/lib/modules/load-order"
for ko in "${load_order[@]}"; do
  cp "$ko" "$initramfs/lib/modules/"
  basename "$ko" >>"$initramfs/lib/modules/load-order"
done
install -m 755 "$here/initramfs/init" "$initramfs/init"
chown -R 0:0 "$initramfs"
(cd "$initramfs" && find . | LC_ALL=C sort | "$bb" cpio -o -H newc 2>/dev/null) | gzip -9 >"$img/initrd.img"
cp "$stage/boot/vmlinuz-$kver" "$img/vmlinuz"
log "initramfs: ${#load_order[@]} modules, $(du -k "$img/initrd.img" | cut -f1) KiB"

# --- 4. disk ---------------------------------------------------------------------------
sector=512
boot_start=2048 # 1 MiB alignment
boot_sectors=$((BOOT_MB * 1024 * 1024 / sector))
root_start=$((boot_start + boot_sectors))
root_sectors=$((DISK_MB * 1024 * 1024 / sector - root_start))
((root_sectors > 0)) || die "DISK_MB=$DISK_MB leaves no room for the root partition"

cat >"$img/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT base
PROMPT 0
TIMEOUT 0
LABEL base
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND $CMDLINE
EOF
# -h: hidden sectors = the partition's start, which syslinux's boot sector needs
mkfs.fat -F 16 -n BOOT -h "$boot_start" -C "$img/boot.img" $((boot_sectors / 2)) >/dev/null
mcopy -i "$img/boot.img" "$img/vmlinuz" "$img/initrd.img" "$img/syslinux.cfg" ::/
syslinux --install "$img/boot.img"

mkfs.ext4 -q -F -L base-root -d "$rootfs" "$img/root.img" $((root_sectors / 2))k >/dev/null

# MBR: syslinux's mbr.bin (boots the active partition), a disk signature, two
# primary partitions (FAT16 LBA, active; Linux) and the 0x55AA signature.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
part() { # active type start sectors; CHS fields say "use LBA"
  printf '\\x%02x\\xfe\\xff\\xff\\x%02x\\xfe\\xff\\xff%s%s' "$1" "$2" "$(le32 "$3")" "$(le32 "$4")"
}
raw=$img/base.raw
rm -f "$raw"
truncate -s "${DISK_MB}M" "$raw"
dd if="$stage/usr/lib/syslinux/mbr/mbr.bin" of="$raw" bs=440 count=1 conv=notrunc status=none
# shellcheck disable=SC2059 # the format is our own escape sequence
printf "$(le32 0x6b696c6e)\\x00\\x00$(part 0x80 0x0e "$boot_start" "$boot_sectors")$(part 0x00 0x83 "$root_start" "$root_sectors")\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x55\\xaa" |
  dd of="$raw" bs=1 seek=440 conv=notrunc status=none
dd if="$img/boot.img" of="$raw" bs=$sector seek="$boot_start" conv=notrunc,sparse status=none
dd if="$img/root.img" of="$raw" bs=$sector seek="$root_start" conv=notrunc,sparse status=none

# --- 5. output -------------------------------------------------------------------------
compress=()
[[ ${QCOW2_COMPRESS:-0} == 1 ]] && compress=(-c)
rm -f "$OUT"/{base.qcow2,base.raw,vmlinuz,initrd.img,cmdline,SHA256SUMS}
qemu-img convert -O qcow2 "${compress[@]}" "$raw" "$OUT/base.qcow2"
[[ $KEEP_RAW == 1 ]] && cp --sparse=always "$raw" "$OUT/base.raw"
cp "$img/vmlinuz" "$img/initrd.img" "$OUT/"
echo "$CMDLINE" >"$OUT/cmdline"
(cd "$OUT" && sha256sum -- base.* vmlinuz initrd.img cmdline >"$img/SHA256SUMS")
mv "$img/SHA256SUMS" "$OUT/SHA256SUMS"
log "done: $OUT ($kernel_pkg, $(du -k "$OUT/base.qcow2" | cut -f1) KiB qcow2)"
