{#- Schemas are named by layer (staging, omop, marts...), not prefixed with the target schema:
    roles and grants are given per layer, and analysts read omop and marts only. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}
{%- endmacro %}
