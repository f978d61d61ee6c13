#!/bin/bash
# EPN Kiosk: undo install-kiosk.sh.
#
# Stops and removes the kiosk session, puts virtual terminals, SysRq, Ctrl+Alt+Del,
# the default boot target and the display manager back as they were. The account
# epn-kiosk and its data stay unless --remove-data is given. The packages (cage,
# epn-kiosk) and /etc/epn-kiosk/managed-config.json are left alone.
#
# Usage: sudo ./uninstall-kiosk.sh [--dry-run] [--remove-data]
#        ./uninstall-kiosk.sh --root DIR --skip-system [--dry-run]   (tests only)
set -euo pipefail

DRY_RUN=0
SKIP_SYSTEM=0
REMOVE_DATA=0
ROOT=""
KIOSK_USER="epn-kiosk"
CHANGES=0
SKIPPED=0

usage() {
  cat <<'USAGE'
Usage: uninstall-kiosk.sh [options]

  --dry-run       print every change that would be made; change nothing
  --remove-data   also delete the account epn-kiosk and its home folder (the kiosk's data)
  --user NAME     the kiosk account (default: epn-kiosk)
  --root DIR      remove files under DIR instead of / (for tests; needs --skip-system or --dry-run)
  --skip-system   run no system command (systemctl, sysctl, userdel, apparmor_parser); each is
                  reported as skipped. For tests with --root.
  -h, --help      this text
USAGE
}

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
already() { printf 'already: %s\n' "$*"; }
note() { printf 'note: %s\n' "$*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --skip-system) SKIP_SYSTEM=1 ;;
    --remove-data) REMOVE_DATA=1 ;;
    --root) [ $# -ge 2 ] || die "--root needs a folder"; ROOT="${2%/}"; shift ;;
    --user) [ $# -ge 2 ] || die "--user needs a name"; KIOSK_USER="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

if [ -n "$ROOT" ]; then
  [ -d "$ROOT" ] || die "--root $ROOT is not a folder"
  if [ "$DRY_RUN" -eq 0 ] && [ "$SKIP_SYSTEM" -eq 0 ]; then
    die "--root needs --skip-system (or --dry-run): system commands would act on this machine, not on $ROOT"
  fi
fi
[[ "$KIOSK_USER" =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || die "--user must be a plain account name"
if [ "$DRY_RUN" -eq 0 ] && [ "$SKIP_SYSTEM" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo), or with --dry-run to see what would change"
fi
KIOSK_HOME="/home/$KIOSK_USER"
STATE="/etc/epn-kiosk/install-state"

change() { # a command acting on the live system
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

file_change() { # a change to files under $ROOT
  local description="$1"; shift
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would: %s\n' "$description"
  else
    printf 'change: %s\n' "$description"
    "$@"
  fi
}

remove_file() { # remove_file PATH: remove it if present
  if [ -e "$ROOT$1" ] || [ -L "$ROOT$1" ]; then
    file_change "remove $1" rm -f "$ROOT$1"
    return 0
  fi
  already "$1 is gone"
  return 1
}

state_value() { # state_value KEY: what install-kiosk.sh recorded, or nothing
  [ -f "$ROOT$STATE" ] || return 0
  sed -n "s/^$1=//p" "$ROOT$STATE" | head -n 1
}

[ "$DRY_RUN" -eq 1 ] && echo "dry run: nothing is changed"
[ -n "$ROOT" ] && echo "files go under $ROOT"

# --- 1. The kiosk session ---------------------------------------------------------------
if [ "$SKIP_SYSTEM" -eq 1 ] || systemctl is-active --quiet epn-kiosk.service 2>/dev/null; then
  change "stop epn-kiosk.service" systemctl stop epn-kiosk.service
else
  already "epn-kiosk.service is not running"
fi
if [ "$SKIP_SYSTEM" -eq 1 ] || systemctl is-enabled --quiet epn-kiosk.service 2>/dev/null; then
  change "disable epn-kiosk.service" systemctl disable epn-kiosk.service
else
  already "epn-kiosk.service is not enabled"
fi
UNIT_REMOVED=0
if remove_file /etc/systemd/system/epn-kiosk.service; then UNIT_REMOVED=1; fi

# --- 2. System settings ---------------------------------------------------------------------
remove_file /etc/systemd/logind.conf.d/epn-kiosk.conf || true
remove_file /etc/systemd/system.conf.d/epn-kiosk.conf || true
SYSCTL_REMOVED=0
if remove_file /etc/sysctl.d/90-epn-kiosk.conf; then SYSCTL_REMOVED=1; fi
remove_file /etc/polkit-1/rules.d/50-epn-kiosk.rules || true
if [ -e "$ROOT/etc/apparmor.d/epn-kiosk" ]; then
  change "unload the AppArmor profile epn-kiosk" apparmor_parser -R /etc/apparmor.d/epn-kiosk
  remove_file /etc/apparmor.d/epn-kiosk || true
else
  already "/etc/apparmor.d/epn-kiosk is gone"
fi
if [ "$SKIP_SYSTEM" -eq 1 ] || [ "$(systemctl is-enabled ctrl-alt-del.target 2>/dev/null || true)" = "masked" ]; then
  change "unmask ctrl-alt-del.target" systemctl unmask ctrl-alt-del.target
else
  already "ctrl-alt-del.target is not masked"
fi
if [ "$SYSCTL_REMOVED" -eq 1 ]; then
  change "reload the sysctl settings (SysRq back to the distribution's default)" sysctl -q --system
fi
if [ "$UNIT_REMOVED" -eq 1 ]; then
  change "reload systemd's units" systemctl daemon-reload
fi

# --- 3. What the PC booted into before -------------------------------------------------
previous_target="$(state_value previous-default-target)"
if [ -n "$previous_target" ] && [ "$previous_target" != "unknown" ] && [ "$previous_target" != "graphical.target" ]; then
  change "make $previous_target the default boot target again" systemctl set-default "$previous_target"
else
  already "the default boot target needs no change"
fi
previous_dm="$(state_value previous-display-manager)"
if [ -n "$previous_dm" ]; then
  change "enable the display manager $previous_dm again" systemctl enable "$previous_dm"
else
  already "no display manager to enable again"
fi
if [ -f "$ROOT$STATE" ]; then
  file_change "remove $STATE" rm -f "$ROOT$STATE"
fi
if [ -d "$ROOT/etc/epn-kiosk" ] && [ -z "$(ls -A "$ROOT/etc/epn-kiosk")" ]; then
  file_change "remove the empty folder /etc/epn-kiosk" rmdir "$ROOT/etc/epn-kiosk"
elif [ -d "$ROOT/etc/epn-kiosk" ] && [ ! -f "$ROOT$STATE" ]; then
  note "/etc/epn-kiosk is kept: it holds the managed configuration"
fi

# --- 4. The account and its data ----------------------------------------------------------
if [ "$REMOVE_DATA" -eq 1 ]; then
  if [ "$SKIP_SYSTEM" -eq 1 ]; then
    change "delete the account $KIOSK_USER" true
    if [ -d "$ROOT$KIOSK_HOME" ]; then
      file_change "delete $KIOSK_HOME and everything in it" rm -rf "$ROOT$KIOSK_HOME"
    else
      already "$KIOSK_HOME is gone"
    fi
  elif id -u "$KIOSK_USER" >/dev/null 2>&1; then
    change "delete the account $KIOSK_USER and its home $KIOSK_HOME" userdel --remove "$KIOSK_USER"
  else
    already "the account $KIOSK_USER is gone"
  fi
else
  note "the account $KIOSK_USER and $KIOSK_HOME are kept (give --remove-data to delete them)"
fi

[ "$SKIPPED" -eq 0 ] || echo "skipped: $SKIPPED system command(s) (--skip-system)"
if [ "$CHANGES" -eq 0 ]; then
  echo "done: nothing to change"
elif [ "$DRY_RUN" -eq 1 ]; then
  echo "done: $CHANGES change(s) would be made"
else
  echo "done: $CHANGES change(s); reboot to get the text consoles back. cage and epn-kiosk stay installed (apt-get remove them if no longer wanted)"
fi
