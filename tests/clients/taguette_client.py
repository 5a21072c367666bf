"""Run Taguette's own code (the PyPI package, in its own virtualenv: it pins SQLAlchemy 1.4, qualcode
needs 2.x) on files qualcode wrote or will read. Test-only; run with that virtualenv's python:

    python taguette_client.py codebook-xml OUT.qdc TAG DESCRIPTION [TAG DESCRIPTION ...]
    python taguette_client.py list-tags-csv CODEBOOK.csv      # prints the tags Taguette reads, as JSON
"""
import json
import sys
from types import SimpleNamespace


def main(argv):
    if argv[0] == "codebook-xml":
        from taguette.export import codebook_xml

        pairs = argv[2:]
        tags = [SimpleNamespace(path=pairs[i], description=pairs[i + 1]) for i in range(0, len(pairs), 2)]
        codebook_xml(tags, argv[1])
    elif argv[0] == "list-tags-csv":
        from taguette.import_codebook import InvalidCodebook, list_tags_csv

        try:
            with open(argv[1], "rb") as fh:
                print(json.dumps(list_tags_csv(fh)))
        except InvalidCodebook as exc:
            print(f"InvalidCodebook: {exc.message} (row {exc.row})", file=sys.stderr)
            return 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
