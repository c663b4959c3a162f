"""rjkg's exceptions. Every one carries enough to point a user at the file/line/parameter to fix.

RjkgError
├── InputError          bad input a user can fix (unreadable file, wrong encoding, bad metadata); exit 2
│   └── DocumentError   one document could not be ingested or extracted (others go on)
├── ValidationFailed    SHACL violations in the graph; exit 1
└── BuildError          the build could not publish (lock held, disk full, read-only output)
"""

from __future__ import annotations


class RjkgError(Exception):
    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message, self.where, self.hint = message, where, hint
        super().__init__(self.render())

    def render(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(f"  → {self.hint}")
        return "\n".join(parts)


class InputError(RjkgError):
    exit_code = 2


class DocumentError(InputError):
    pass


class ValidationFailed(RjkgError):
    exit_code = 1


class BuildError(RjkgError):
    exit_code = 3
