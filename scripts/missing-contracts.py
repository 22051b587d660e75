#!/usr/bin/env python3
"""Lists public declarations of C++ headers that have no `///` contract (a heuristic, not a
parser). Usage: scripts/missing-contracts.py [--fields] [HEADER...] (default: lib/wm/**/*.hpp).

A declaration at namespace scope or in the public part of a class counts as documented when
the line before it (past `template <...>` lines) is a `///` comment or ends a `/** */` one, or
when it carries a trailing `///<`. Not asked for: overrides (the interface documents them),
destructors, `= default` / `= delete` members, move operations, forward declarations, a
deleter's `operator()`, access labels, friends, `using namespace`, static_assert. Struct fields
are left out unless --fields. Prints FILE:LINE: declaration; exits 0."""
import pathlib
import re
import subprocess
import sys

SKIP_START = re.compile(r'(namespace\b|extern\s+"|friend\b|using\s+namespace\b|static_assert\b|'
                        r'\}|[A-Z_]+\(|(class|struct)\s+\w+\s*;|void operator\(\)\(|~\w+\()')
SPECIAL = re.compile(r'override\b|=\s*(default|delete)\s*;')


def code_of(line):
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    return line.split('//')[0].strip()


def statement(lines, i):
    text = ''
    for line in lines[i:i + 8]:
        text += ' ' + code_of(line)
        if ';' in line or '{' in line:
            break
    return text


def documented(lines, i):
    j = i - 1
    while j >= 0 and re.match(r'\s*(template\s*<|\[\[)', lines[j]):
        j -= 1
    prev = lines[j].strip() if j >= 0 else ''
    return prev.startswith('///') or prev.endswith('*/') or '///<' in lines[i]


def missing(path, fields):
    lines = pathlib.Path(path).read_text().split('\n')
    scopes = []  # (kind, public): kind is 'ns', 'class' or 'block'
    start = None  # first line of the statement being read, when it is a candidate
    opens = None  # what the statement's first '{' opens
    in_comment = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if in_comment:
            in_comment = '*/' not in line
            continue
        if line.startswith('/*') and '*/' not in line:
            in_comment = True
            continue
        if not line or line.startswith('//') or line.startswith('#'):
            continue
        code = code_of(line)
        kind, public = scopes[-1] if scopes else ('ns', True)
        access = re.match(r'(public|private|protected)\s*:', code)
        if access and kind == 'class':
            scopes[-1] = ('class', access.group(1) == 'public')
            continue
        if start is None and kind in ('ns', 'class') and public and not code.startswith('}'):
            if re.match(r'template\s*<[^>]*>\s*$', code):
                continue  # the declaration starts on the next line
            start = i
            opens = 'block'
            if re.match(r'namespace\b', code):
                opens = 'ns'
            elif re.match(r'(template\s*<[^>]*>\s*)?(class|struct|union)\s+\w+', code) and \
                    not code.endswith(';'):
                opens = 'class'
            full = statement(lines, i)
            func = '(' in code and not code.startswith('using')
            field = not func and opens == 'block' and not code.startswith(('using', 'enum')) \
                and kind == 'class'
            wanted = not SKIP_START.match(code) and not SPECIAL.search(full) and \
                not re.match(r'(\w+)\(\1&&', full.replace(' ', '')) and \
                not re.match(r'\w+&operator=\(\w+&&', full.replace(' ', ''))
            if wanted and (fields or not field) and not documented(lines, i):
                yield i + 1, code[:90]
        for ch in code:
            if ch == '{':
                if start is not None and opens in ('ns', 'class'):
                    struct = re.search(r'\b(struct|union)\b', lines[start]) is not None
                    scopes.append((opens, opens == 'ns' or struct))
                    start = None
                else:
                    scopes.append(('block', False))
                opens = 'block'
            elif ch == '}' and scopes:
                scopes.pop()
        if start is not None and code.endswith((';', '}')) and \
                not (scopes and scopes[-1][0] == 'block'):
            start = None


def main():
    fields = '--fields' in sys.argv
    files = [a for a in sys.argv[1:] if not a.startswith('--')]
    if not files:
        out = subprocess.run(['git', 'ls-files', 'lib/wm/*.hpp'], capture_output=True,
                             text=True, check=True).stdout
        files = out.split()
    total = 0
    for f in files:
        for n, decl in missing(f, fields):
            print(f'{f}:{n}: {decl}')
            total += 1
    print(f'{total} public declarations without a /// contract', file=sys.stderr)


main()
