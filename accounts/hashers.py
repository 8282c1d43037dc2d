"""How passwords are stored: Argon2id with the parameters of OWASP's Password Storage Cheat Sheet.

Trainers and staff sign in with passwords; trainees never do (they have personal codes). Django's
default, PBKDF2-SHA256 at 1,000,000 iterations, costs ~0.48 s of CPU per sign-in on the 2-core
machine class of issue 18, so the handful of trainers signing in at the start of a training day
queued behind one another and behind every trainee's request (load test: password sign-in p95
2.1 s at 50 users, every other endpoint under 0.4 s). Argon2id with 19 MiB of memory, two passes
and one lane is OWASP's recommended minimum, which it rates as strong as its PBKDF2 advice
(600,000 iterations); being memory-hard it costs a GPU attacker more per guess than PBKDF2 does,
and it costs our server ~30 ms of CPU and 19 MiB per sign-in (Django's own Argon2 defaults, 100 MiB
and eight lanes, cost ~340 ms of CPU).

Existing PBKDF2 hashes keep working and are rewritten as Argon2id at the user's next sign-in (Django
does this for any hash not made by the first of PASSWORD_HASHERS, or made with other parameters).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id, algorithm name `argon2`) with OWASP's parameters."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
