"""What the exercise checkers share: the failure a check raises, running the learner's
code inside a check, and the loop that runs a checker's checks and prints one line for
each."""


class Failed(Exception):
    """A check's verdict: what the learner's code got wrong."""


def attempt(fn, what):
    """``fn()``'s result; if the learner's code in it raises, a Failed saying that
    ``what`` raised and what (a Failed from a nested check passes through)."""
    try:
        return fn()
    except Failed:
        raise
    except Exception as e:           # noqa: BLE001 -- the learner's error is the message
        raise Failed(f"{what} raised {type(e).__name__}: {e}") from None


def run_checks(checks, subject, works):
    """Run each ``_check_...(subject)`` in ``checks``: print "yes" and what it says, or
    "no" and why (its Failed message, or whatever the learner's code raised); then how
    many pass, adding ``works`` when all of them do."""
    passed = 0
    for check in checks:
        name = check.__name__[len("_check_"):].replace("_", " ")
        try:
            said = check(subject)
        except Failed as e:
            print(f"  no   {name}: {e}")
        except Exception as e:       # noqa: BLE001 -- anything the learner's code raised
            print(f"  no   {name}: {type(e).__name__}: {e}")
        else:
            passed += 1
            print(f"  yes  {said}")
    print(f"{passed} of {len(checks)} checks pass" + (f": {works}" if passed == len(checks)
                                                       else "."))
