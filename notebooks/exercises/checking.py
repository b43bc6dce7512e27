"""What the exercise checkers share: the failure a check raises, and the loop that
runs a checker's checks and prints one line for each."""


class Failed(Exception):
    """A check's verdict: what the learner's code got wrong."""


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
