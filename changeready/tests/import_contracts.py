"""A contract type for import-linter: modules that import only the standard library.

The judgement core is plain Python (docs/architecture.md): no Django, no other
third-party package, no other part of changeready. import-linter's own
contracts forbid a list of modules; this one allows a list instead, so a new
dependency cannot slip in unnamed. Test modules may use their test tools.
"""

from __future__ import annotations

import sys

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class StandardLibraryOnlyContract(Contract):
    type_name = "standard_library_only"

    source_modules = fields.ListField(subfield=fields.StringField())
    # Packages inside the sources whose modules may import more (their tests).
    exempt_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = list(self.source_modules)  # type: ignore[call-overload]
        exempt = tuple(self.exempt_modules or ())
        violations = []
        for source in sources:
            for module in sorted({source} | graph.find_descendants(source)):
                if module.startswith(exempt):
                    continue
                for imported in sorted(graph.find_modules_directly_imported_by(module)):
                    if imported == source or imported.startswith(f"{source}."):
                        continue
                    if imported.split(".")[0] in sys.stdlib_module_names:
                        continue
                    violations.append((module, imported))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module, imported in check.metadata["violations"]:
            output.print_error(f"{module} imports {imported}, which is not the standard library.")
            output.new_line()
