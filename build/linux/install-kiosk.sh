#!/bin/bash
# EPN Kiosk: turn a Debian 12/13 or Ubuntu 24.04 PC into a kiosk.
#
# Creates the unprivileged account epn-kiosk, runs the kiosk in cage (a
# single-application Wayland compositor) on tty1 under a systemd unit that starts
# it again whenever it exits, switches off virtual terminals, SysRq and the
# Ctrl+Alt+Del reboot, and takes from the account what it does not need.
# Idempotent: every step checks first and says "already" when nothing is to do.
#
# Usage: sudo ./install-kiosk.sh [--dry-run] [--deb FILE] [--app PATH]
#        ./install-kiosk.sh --root DIR --skip-system [--dry-run]   (tests only)
# See README.md next to this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly KIOSK_USER_DEFAULT="epn-kiosk"
readonly KIOSK_APP_DEFAULT="/opt/EPN Kiosk/epn-kiosk"
readonly DEB_PACKAGE="epn-kiosk"
readonly KEEP_GROUPS="audio video render"

DRY_RUN=0
SKIP_SYSTEM=0
ROOT=""
DEB=""
APP="$KIOSK_APP_DEFAULT"
KIOSK_USER="$KIOSK_USER_DEFAULT"
BLOCK_USB=1
CHANGES=0
SKIPPED=0

usage() {
  cat <<'USAGE'
Usage: install-kiosk.sh [options]

  --dry-run         print every change that would be made; change nothing
  --deb FILE        install (or upgrade to) this EPN Kiosk .deb first
  --app PATH        the kiosk executable (default: /opt/EPN Kiosk/epn-kiosk)
  --user NAME       the kiosk account (default: epn-kiosk)
  --no-usb-block    do not install the polkit rule that denies the account udisks2 mounts
  --root DIR        write files under DIR instead of / (for tests; needs --skip-system or --dry-run)
  --skip-system     run no system command (apt-get, useradd, usermod, chown, systemctl, sysctl,
                    apparmor_parser); each is reported as skipped. For tests with --root.
  -h, --help        this text
USAGE
}

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
already() { printf 'already: %s\n' "$*"; }
note() { printf 'note: %s\n' "$*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --skip-system) SKIP_SYSTEM=1 ;;
    --no-usb-block) BLOCK_USB=0 ;;
    --root) [ $# -ge 2 ] || die "--root needs a folder"; ROOT="${2%/}"; shift ;;
    --deb) [ $# -ge 2 ] || die "--deb needs a file"; DEB="$2"; shift ;;
    --app) [ $# -ge 2 ] || die "--app needs a path"; APP="$2"; shift ;;
    --user) [ $# -ge 2 ] || die "--user needs a name"; KIOSK_USER="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

if [ -n "$ROOT" ]; then
  [ -d "$ROOT" ] || die "--root $ROOT is not a folder"
  [ "$ROOT" != "/" ] || ROOT=""
  if [ -n "$ROOT" ] && [ "$DRY_RUN" -eq 0 ] && [ "$SKIP_SYSTEM" -eq 0 ]; then
    die "--root needs --skip-system (or --dry-run): system commands would act on this machine, not on $ROOT"
  fi
fi
case "$APP" in
  /*) ;;
  *) die "--app must be an absolute path" ;;
esac
# The path goes into a systemd unit, an AppArmor profile and sed: keep it plain.
case "$APP" in
  *[\"\\%\$\`\|\&]*|*$'\n'*) die "--app contains a character that cannot go into a systemd unit: $APP" ;;
esac
[[ "$KIOSK_USER" =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || die "--user must be a plain account name"
if [ "$DRY_RUN" -eq 0 ] && [ "$SKIP_SYSTEM" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo), or with --dry-run to see what would change"
fi

KIOSK_HOME="/home/$KIOSK_USER"

# change DESCRIPTION COMMAND...: a change to the live system (a command).
change() {
  local description="$1"; shift
  if [ "$SKIP_SYSTEM" -eq 1 ]; then
    SKIPPED=$((SKIPPED + 1))
    printf 'skipped (--skip-system): %s\n' "$description"
    return
  fi
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would: %s\n' "$description"
  else
    printf 'change: %s\n' "$description"
    "$@"
  fi
}

# file_change DESCRIPTION COMMAND...: a change to a file under $ROOT (done with --skip-system too).
file_change() {
  local description="$1"; shift
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would: %s\n' "$description"
  else
    printf 'change: %s\n' "$description"
    "$@"
  fi
}

render() { # render TEMPLATE: the template with the placeholders filled in
  sed -e "s|@KIOSK_USER@|$KIOSK_USER|g" -e "s|@KIOSK_HOME@|$KIOSK_HOME|g" -e "s|@KIOSK_APP@|$APP|g" "$SCRIPT_DIR/$1"
}

write_file() { # write_file CONTENT TARGET MODE: install TARGET (under $ROOT) with that content, root-owned
  local content="$1" target="$ROOT$2" mode="$3"
  if [ -f "$target" ] && [ "$(cat "$target")" = "$content" ] && [ "$(stat -c %a "$target")" = "$mode" ]; then
    already "$2 is up to date"
    return 1
  fi
  local verb="write"
  [ -e "$target" ] && verb="update"
  file_change "$verb $2 (mode $mode)" install_content "$content" "$target" "$mode"
}

install_content() {
  mkdir -p "$(dirname "$2")"
  local tmp
  tmp="$(mktemp "$2.XXXXXX")"
  printf '%s\n' "$1" >"$tmp"
  chmod "$3" "$tmp"
  mv -f "$tmp" "$2"
}

package_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# --- 1. Packages -----------------------------------------------------------------
step_packages() {
  if [ "$SKIP_SYSTEM" -eq 0 ] && package_installed cage; then
    already "cage is installed"
  elif [ "$SKIP_SYSTEM" -eq 1 ] && [ -x "$ROOT/usr/bin/cage" ]; then
    already "cage is installed"
  else
    change "install the cage package (apt-get install cage)" env DEBIAN_FRONTEND=noninteractive apt-get install -y cage
  fi

  # Reading aloud needs speech-dispatcher and voices (espeak-ng speaks all seven kiosk
  # languages); Noto has the Arabic and Cyrillic letters the visitor screens show.
  local extras="speech-dispatcher espeak-ng fonts-noto-core" missing="" package
  if [ "$SKIP_SYSTEM" -eq 1 ]; then
    note "the voices and fonts ($extras) are not checked with --skip-system"
  else
    for package in $extras; do package_installed "$package" || missing="$missing $package"; done
    if [ -z "$missing" ]; then
      already "the voices and fonts are installed ($extras)"
    else
      # shellcheck disable=SC2086 # one word per package, on purpose
      change "install the voices and fonts for reading aloud and every kiosk language (apt-get install$missing)" env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
    fi
  fi

  if [ -n "$DEB" ]; then
    [ -f "$DEB" ] || die "--deb $DEB: no such file"
    local want have=""
    want="$(dpkg-deb -f "$DEB" Version 2>/dev/null)" || die "--deb $DEB is not a .deb package"
    if package_installed "$DEB_PACKAGE"; then have="$(dpkg-query -W -f='${Version}' "$DEB_PACKAGE")"; fi
    if [ "$have" = "$want" ]; then
      already "$DEB_PACKAGE $want is installed"
    else
      local deb_path
      deb_path="$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")"
      change "install $DEB_PACKAGE $want from $DEB" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb_path"
    fi
  elif [ -x "$ROOT$APP" ]; then
    already "the kiosk is installed at $APP"
  elif [ "$DRY_RUN" -eq 1 ] || [ "$SKIP_SYSTEM" -eq 1 ]; then
    note "the kiosk is not installed at $APP (a real run stops here: give --deb FILE or --app PATH)"
  else
    die "the kiosk is not installed at $APP: give the .deb with --deb FILE, or its path with --app PATH"
  fi
}

# --- 2. The account ----------------------------------------------------------------
step_account() {
  if [ "$SKIP_SYSTEM" -eq 1 ]; then
    change "create the account $KIOSK_USER (home $KIOSK_HOME, shell /usr/sbin/nologin, password locked)" true
    return
  fi
  if id -u "$KIOSK_USER" >/dev/null 2>&1; then
    already "the account $KIOSK_USER exists"
  else
    change "create the account $KIOSK_USER (home $KIOSK_HOME, shell /usr/sbin/nologin, password locked)" \
      useradd --create-home --home-dir "$KIOSK_HOME" --shell /usr/sbin/nologin --user-group \
      --comment "EPN Kiosk" "$KIOSK_USER"
  fi
  # In a dry run the account may not exist yet: what follows reads it only if it does.
  if id -u "$KIOSK_USER" >/dev/null 2>&1; then
    if [ "$(passwd -S "$KIOSK_USER" | awk '{print $2}')" = "L" ]; then
      already "$KIOSK_USER has no usable password"
    else
      change "lock the password of $KIOSK_USER" passwd -l "$KIOSK_USER"
    fi
    if [ "$(getent passwd "$KIOSK_USER" | cut -d: -f7)" = "/usr/sbin/nologin" ]; then
      already "$KIOSK_USER has no login shell"
    else
      change "set the shell of $KIOSK_USER to /usr/sbin/nologin" usermod --shell /usr/sbin/nologin "$KIOSK_USER"
    fi
    local group primary
    primary="$(id -gn "$KIOSK_USER")"
    for group in $(id -Gn "$KIOSK_USER"); do
      [ "$group" = "$primary" ] && continue
      case " $KEEP_GROUPS " in
        *" $group "*) ;;
        *) change "remove $KIOSK_USER from the group $group" gpasswd -d "$KIOSK_USER" "$group" ;;
      esac
    done
    for group in $KEEP_GROUPS; do
      getent group "$group" >/dev/null || continue
      if id -Gn "$KIOSK_USER" | tr ' ' '\n' | grep -qx "$group"; then
        already "$KIOSK_USER is in the group $group"
      else
        change "add $KIOSK_USER to the group $group" usermod -aG "$group" "$KIOSK_USER"
      fi
    done
  fi
}

# --- 3. Home folder: the app's data lives under it, readable by the account only --
step_home() {
  local home="$ROOT$KIOSK_HOME"
  if [ -d "$home" ]; then
    already "$KIOSK_HOME exists"
  else
    file_change "create $KIOSK_HOME" mkdir -p "$home"
  fi
  if [ -d "$home" ] && [ "$(stat -c %a "$home")" = "700" ]; then
    already "$KIOSK_HOME is mode 0700"
  else
    file_change "set $KIOSK_HOME to mode 0700" chmod 0700 "$home"
  fi
  if [ "$SKIP_SYSTEM" -eq 1 ]; then
    change "make $KIOSK_USER the owner of $KIOSK_HOME" true
  elif id -u "$KIOSK_USER" >/dev/null 2>&1 && [ -d "$home" ] && [ "$(stat -c %U "$home")" = "$KIOSK_USER" ]; then
    already "$KIOSK_HOME belongs to $KIOSK_USER"
  else
    change "make $KIOSK_USER the owner of $KIOSK_HOME" chown "$KIOSK_USER:" "$home"
  fi

  # GTK print dialog: real printers only, no "Print to File" (docs/security.md).
  local gtk changed=0
  for gtk in gtk-3.0 gtk-4.0; do
    if write_file "$(cat "$SCRIPT_DIR/gtk-settings.ini")" "$KIOSK_HOME/.config/$gtk/settings.ini" 644; then changed=1; fi
  done
  if [ "$changed" -eq 1 ]; then
    change "make $KIOSK_USER the owner of $KIOSK_HOME/.config" chown -R "$KIOSK_USER:" "$home/.config"
  fi
}

# --- 4. System configuration files ---------------------------------------------------
step_files() {
  if [ -d "$ROOT/etc/epn-kiosk" ]; then
    already "/etc/epn-kiosk exists (managed-config.json is left to IT)"
  else
    file_change "create /etc/epn-kiosk (mode 0755) for the managed configuration" install -d -m 0755 "$ROOT/etc/epn-kiosk"
  fi

  UNIT_CHANGED=0
  if write_file "$(render epn-kiosk.service)" /etc/systemd/system/epn-kiosk.service 644; then UNIT_CHANGED=1; fi
  LOGIND_CHANGED=0
  if write_file "$(cat "$SCRIPT_DIR/logind-epn-kiosk.conf")" /etc/systemd/logind.conf.d/epn-kiosk.conf 644; then LOGIND_CHANGED=1; fi
  write_file "$(cat "$SCRIPT_DIR/system-epn-kiosk.conf")" /etc/systemd/system.conf.d/epn-kiosk.conf 644 || true
  SYSCTL_CHANGED=0
  if write_file "$(cat "$SCRIPT_DIR/sysctl-epn-kiosk.conf")" /etc/sysctl.d/90-epn-kiosk.conf 644; then SYSCTL_CHANGED=1; fi
  if [ "$BLOCK_USB" -eq 1 ]; then
    write_file "$(render polkit-epn-kiosk.rules)" /etc/polkit-1/rules.d/50-epn-kiosk.rules 644 || true
  else
    note "--no-usb-block: the account may mount removable drives if a program asks udisks2"
  fi

  # Ubuntu 24.04+: unprivileged user namespaces only for programs with a profile allowing them.
  APPARMOR_CHANGED=0
  local restrict="$ROOT/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
  if [ -r "$restrict" ] && [ "$(cat "$restrict")" = "1" ]; then
    if write_file "$(render apparmor-epn-kiosk)" /etc/apparmor.d/epn-kiosk 644; then APPARMOR_CHANGED=1; fi
  else
    already "no AppArmor user-namespace restriction here (no profile needed)"
  fi
}

# --- 5. systemd -------------------------------------------------------------------------
step_systemd() {
  if [ "$APPARMOR_CHANGED" -eq 1 ]; then
    change "load the AppArmor profile /etc/apparmor.d/epn-kiosk" apparmor_parser -r /etc/apparmor.d/epn-kiosk
  fi
  if [ "$SYSCTL_CHANGED" -eq 1 ]; then
    change "apply kernel.sysrq = 0 now" sysctl -q -w kernel.sysrq=0
  fi
  if [ "$UNIT_CHANGED" -eq 1 ]; then
    change "reload systemd's units" systemctl daemon-reload
  fi
  if [ "$SKIP_SYSTEM" -eq 0 ] && systemctl is-enabled --quiet epn-kiosk.service 2>/dev/null; then
    already "epn-kiosk.service is enabled"
  else
    change "enable epn-kiosk.service (starts at the next boot)" systemctl enable epn-kiosk.service
  fi
  if [ "$SKIP_SYSTEM" -eq 0 ] && [ "$(systemctl is-enabled ctrl-alt-del.target 2>/dev/null || true)" = "masked" ]; then
    already "ctrl-alt-del.target is masked"
  else
    change "mask ctrl-alt-del.target (Ctrl+Alt+Del at a text console does not reboot)" systemctl mask ctrl-alt-del.target
  fi
  local current=""
  if [ "$SKIP_SYSTEM" -eq 0 ]; then current="$(systemctl get-default 2>/dev/null || true)"; fi
  if [ "$current" = "graphical.target" ]; then
    already "the default boot target is graphical.target"
  else
    remember previous-default-target "${current:-unknown}"
    change "make graphical.target the default boot target (was ${current:-unknown})" systemctl set-default graphical.target
  fi
  local dm=""
  if [ "$SKIP_SYSTEM" -eq 0 ] && [ -L /etc/systemd/system/display-manager.service ]; then
    dm="$(basename "$(readlink -f /etc/systemd/system/display-manager.service)")"
  fi
  if [ -n "$dm" ]; then
    remember previous-display-manager "$dm"
    change "disable the display manager $dm (the kiosk owns the screen)" systemctl disable "$dm"
  else
    already "no display manager is enabled"
  fi
  if [ "$LOGIND_CHANGED" -eq 1 ]; then
    note "logind's new settings (no text consoles) apply at the next boot"
  fi
}

# remember KEY VALUE: what uninstall-kiosk.sh needs to put back, in /etc/epn-kiosk/install-state.
remember() {
  local state="$ROOT/etc/epn-kiosk/install-state"
  if [ -f "$state" ] && grep -q "^$1=" "$state"; then return; fi
  file_change "record $1=$2 in /etc/epn-kiosk/install-state (for uninstall)" append_line "$state" "$1=$2"
}
append_line() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" >>"$1"; }

[ "$DRY_RUN" -eq 1 ] && echo "dry run: nothing is changed"
[ -n "$ROOT" ] && echo "files go under $ROOT"
step_packages
step_account
step_home
step_files
step_systemd

[ "$SKIPPED" -eq 0 ] || echo "skipped: $SKIPPED system command(s) (--skip-system)"
if [ "$CHANGES" -eq 0 ]; then
  echo "done: nothing to change, the kiosk is set up"
elif [ "$DRY_RUN" -eq 1 ]; then
  echo "done: $CHANGES change(s) would be made"
else
  echo "done: $CHANGES change(s); reboot to start the kiosk on tty1 (there is no text console afterwards: administer over SSH)"
fi
