/**
 * The host as Go names it: plugin binaries carry GOOS and GOARCH in their file names
 * (`packer-plugin-amazon_v1.3.0_x5.0_linux_amd64`), so kiln maps Node's names to Go's.
 */

/** Go's GOOS and GOARCH for this process, and the executable suffix (`.exe` on Windows). */
export interface GoPlatform {
  readonly os: string;
  readonly arch: string;
  readonly ext: string;
}

const GOOS: Partial<Record<NodeJS.Platform, string>> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

/** The Go platform of `platform`/`arch` (default: this process). */
export function goPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): GoPlatform {
  const os = GOOS[platform] ?? platform;
  return { os, arch: GOARCH[arch] ?? arch, ext: os === 'windows' ? '.exe' : '' };
}
