# Assertions shared by every shell test (tests/cli, tests/ssh, bench): sourced, not run.
# One argument order everywhere: what the test got first, then what it expects, then what
# is being checked.

fail() { echo "FAIL: $*" >&2; exit 1; }

expect_eq() { # actual expected what
    [ "$1" = "$2" ] || {
        printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$3" "$2" "$1" >&2
        exit 1
    }
}

expect_contains() { # haystack needle what
    case "$1" in
    *"$2"*) ;;
    *)
        printf 'FAIL: %s\n--- missing\n%s\n--- in\n%s\n' "$3" "$2" "$1" >&2
        exit 1
        ;;
    esac
}

# Resizes the terminal that `wm run -i` runs on (the pty script(1) gives it) to ROWS x COLS, as
# a user resizing their window does: the kernel sends wm SIGWINCH.
resize_console() { # rows cols
  local p t
  for p in $(pgrep -f -- ' run -i '); do
    t=$(readlink "/proc/$p/fd/0" 2>/dev/null) || continue
    case "$t" in /dev/pts/*) stty -F "$t" rows "$1" cols "$2"; return 0 ;; esac
  done
  fail "no wm run -i on a terminal to resize"
}
