{#- The pseudonymised patient columns every patient record carries (calls, encounters). -#}
{% macro patient_columns() %}
    nir_pseudonym,
    traits_pseudonym,
    patient_birth_year,
    patient_birth_month,
    patient_sex,
    patient_department,
    patient_commune_code,
    patient_has_regular_gp,
{%- endmacro %}

{#- Lineage of a staged row: its delivery, when it was loaded, the file it came from
    (`latest` is the model's latest_load CTE) and the run that staged it (the change feed). -#}
{% macro lineage_columns(entity) %}
    latest.delivery_id,
    loaded_at,
    files.file_sha256,
    '{{ run_started_at.isoformat() }}'::timestamptz as staged_at
from latest
left join {{ source('raw', 'delivery_files') }} as files
    on files.delivery_id = latest.delivery_id and files.entity = '{{ entity }}'
{%- endmacro %}
