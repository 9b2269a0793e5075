#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Expand one variable of a BitBake class the way BitBake would for an
image task: usage bb_expand.py FILE OVERRIDE VAR [NAME=VALUE ...].

NAME=VALUE pairs are what the machine and image configuration set; they
win over the file's ?= and ??= defaults. VAR:OVERRIDE wins over VAR.
${NAME} and ${@python} are expanded (d.getVar available); an undefined
name is an error, so a typo in the class fails the test. Only the subset
of the syntax our classes use: one assignment per line, "..." values.
"""
import re
import sys

ASSIGN = re.compile(r'^([A-Za-z_][\w-]*)((?::[\w-]+)*)\s*(\?\?=|\?=|\+=|\.=|=)\s*"(.*)"\s*$')


def parse(path):
    """(name, override, operator, value) for each assignment line."""
    out = []
    with open(path) as f:
        for line in f:
            m = ASSIGN.match(line.rstrip('\n'))
            if m:
                out.append((m.group(1), m.group(2)[1:], m.group(3), m.group(4)))
    return out


class Data:
    def __init__(self, assigns, override, settings):
        self.vars = {}
        for name, ovr, op, value in assigns:
            key = name + (':' + ovr if ovr else '')
            if ovr and ovr != override:
                continue
            if op in ('?=', '??=') and key in self.vars:
                continue
            if op in ('+=', '.='):
                sep = ' ' if op == '+=' else ''
                value = self.vars.get(key, '') + sep + value
            self.vars[key] = value
        for name, value in settings.items():
            self.vars[name] = value
            self.vars.pop(name + ':' + override, None)
        self.override = override

    def getVar(self, name, expand=True):
        raw = self.vars.get(name + ':' + self.override, self.vars.get(name))
        if raw is None:
            return None
        return self.expand(raw) if expand else raw

    def expand(self, s):
        def python(m):
            return str(eval(m.group(1), {'d': self}))

        def var(m):
            v = self.getVar(m.group(1))
            if v is None:
                sys.exit('bb_expand: ${%s} is not defined' % m.group(1))
            return v
        for _ in range(20):
            new = re.sub(r'\$\{@(.*?)\}(?![^{]*\})', python, s)
            new = re.sub(r'\$\{([A-Za-z_][\w-]*)\}', var, new)
            if new == s:
                return new
            s = new
        sys.exit('bb_expand: expansion does not end')


def main():
    path, override, var = sys.argv[1:4]
    settings = dict(a.split('=', 1) for a in sys.argv[4:])
    d = Data(parse(path), override, settings)
    v = d.getVar(var)
    if v is None:
        sys.exit('bb_expand: %s is not set in %s' % (var, path))
    print(' '.join(v.split()))


main()
