"""The yearly work report (年度工作总结, ../shared/REPORT.md): sentence templates over the
statistics' keys (``templating``), the draft of a node's year (``draft``), its Word document
(``document``) and its charts (``pictures``)."""
