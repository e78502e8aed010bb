{{ config(materialized='view') }}
{#- One row per vital sign value (a set of measures unpivoted), with its LOINC concept and
    UCUM unit: what OMOP MEASUREMENT holds. -#}
{{ vital_sign_values(ref('stg_vital_signs')) }}
