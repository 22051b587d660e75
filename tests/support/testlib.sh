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
