# Shared by the tests that deploy the sandbox probe (tests/ssh/probe): the checks its GET /probe
# answers, each line "<check>=ok ..." when the escape was refused or the own-file check worked.
PROBE_CHECKS="uid capeff capprm capbnd capamb seccomp no_new_privs passwd manifest own_config
  app_writable shadow host_key other_env proc_sys mount unshare ptrace open_by_handle bind80"

# expect_probe_ok OUTPUT WHAT: fails naming the first check that is not ok.
expect_probe_ok() {
    local check line
    for check in $PROBE_CHECKS; do
        line=$(grep "^$check=" <<<"$1" || true)
        case "$line" in
            "$check=ok"*) ;;
            *) fail "$2: $check: ${line:-missing} (all: $1)" ;;
        esac
    done
}
