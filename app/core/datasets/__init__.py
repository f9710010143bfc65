"""Official Korean datasets recognised by their schema (Qt-free): 소상공인시장진흥공단
상가(상권)정보, 국민연금 가입 사업장 내역, 용도지역 (Seoul OA-21136, national
LSMD_CONT_UQ111 …) and 개발제한구역 (OA-21123, LSMD_CONT_UD801). docs/datasets.md.

Modules: ``registry`` (the datasets, their publishers, licences and schemas),
``recognise`` (which dataset a file is, from its header or fields), ``tables`` (the
shipped 용도지역 and KSIC code tables, the editable knowledge-based filter), one reader
per dataset (``semas``, ``nps``, ``zoning``, ``greenbelt``), ``common`` (study area,
dates, provenance, dong codes), ``model`` and ``project_import`` (into a project).
"""
