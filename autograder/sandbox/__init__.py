"""The sandbox that runs students' code for the grader, walled off from it (Linux, macOS, any POSIX).

    from autograder.sandbox import Sandbox, Limits

    with Sandbox(limits=Limits(), workers=2) as sandbox:
        sandbox.isolation_level          # what this machine allows, in words
        with sandbox.open(source, "hw1_linear_regression.py", hide=[repo_root]) as subject:
            subject.load_error           # None, or why the file could not be imported
            subject.call("cost", X, t, w, b)

The grader's side: `sandbox` (Sandbox: starts the zygote, opens children), `spares` (children
opened ahead of need), `subject` (SandboxSubject: calls, restarts, messages), `plan` (the checks'
calls, recorded once, which each child runs ahead of them), `connection` (one child's channels).
The children's side, run in the zygote and its forks: `zygote` (the fork server and keeper of
every child), `warm_up` and `huge_pages` (what the zygote does once so that each fork costs
less), `child` (a child's setup and request loop), `isolation` (namespaces, private root, uid,
rlimits). Both: `protocol` (the wire), `limits`, `messages` (what a student reads when their
code was stopped).

Full isolation (namespaces, a private root) needs Linux: as root, or as an ordinary user through
unprivileged user namespaces; elsewhere the basic mode runs the same code with what the system
offers (Landlock on Linux, the Seatbelt sandbox on macOS), and `isolation_level` says what it lacks.
`autograder.upload.intake` reads a student's upload in the child, under its limits; `syscall_filter`, `landlock`,
`macos`, `confinement` and `scratch` are the walls and the temporary folders.

`Sandbox` and `SandboxSubject` are loaded on first use, so that the zygote, which imports
this package, loads nothing of the grader's side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autograder.sandbox.limits import Limits

if TYPE_CHECKING:
    from autograder.sandbox.sandbox import Sandbox
    from autograder.sandbox.subject import SandboxError, SandboxSubject, Upload

__all__ = ["Limits", "Sandbox", "SandboxError", "SandboxSubject", "Upload"]


def __getattr__(name: str) -> Any:
    if name == "Sandbox":
        from autograder.sandbox.sandbox import Sandbox

        return Sandbox
    if name in ("SandboxSubject", "SandboxError", "Upload"):
        from autograder.sandbox import subject

        return getattr(subject, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
