# Sourced by tests/run and examples/demo: install the Debian packages libkube's
# build, tests and demo need, when they are missing (as root, with apt-get).
kube_install_deps() {
    local packages=(meson ninja-build gcc g++ pkg-config check libyaml-dev libcurl4-openssl-dev
                    libssl-dev libuv1-dev python3 python3-yaml python3-kubernetes openssl valgrind
                    binutils git curl ca-certificates)
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
        return 2
    fi
    echo "installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configure a build directory, or reconfigure it when it exists: kube_meson_setup DIR [OPTIONS...]
kube_meson_setup() {
    local dir=$1; shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}
