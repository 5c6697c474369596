#!/usr/bin/env bash
# Bootstraps the build on a Debian machine, then runs build.cake with Cake:
#   ./build.sh --target=Run     boot the kernel in QEMU+OVMF
#   ./build.sh --target=Test    host tests + boot tests
# Other targets: Build, Image, Bench, Screenshot, Clean. Missing Debian packages are installed when run as
# root; otherwise the exact apt-get command is printed. `./build.sh --install-only` (as root) just installs them.
set -euo pipefail
cd "$(dirname "$0")"

packages=(qemu-system-x86 ovmf lld nasm mtools dosfstools gdisk console-setup-linux)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if (( ${#missing[@]} > 0 )); then
    if [ "$(id -u)" -eq 0 ]; then
        echo "build.sh: installing Debian packages: ${missing[*]}"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        echo "build.sh: missing Debian packages. Run:"
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
fi

if [ "${1:-}" = "--install-only" ]; then
    exit 0
fi

if ! command -v dotnet >/dev/null; then
    echo "build.sh: the .NET 10 SDK is required (Debian/Ubuntu package dotnet-sdk-10.0, or Microsoft's installer)."
    exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
rm -f artifacts/closing-line.txt
status=0
dotnet cake build.cake "$@" || status=$?
# A target that counts results (Test, Fuzz) leaves its closing line here; repeat it as the run's last line.
if [ -f artifacts/closing-line.txt ]; then
    cat artifacts/closing-line.txt
fi
exit "$status"
