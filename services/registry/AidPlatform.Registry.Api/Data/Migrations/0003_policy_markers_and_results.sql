-- IATI 2.03 policy markers on projects, and projects' results with their indicators.

create table project_policy_markers (
    project_id   uuid     not null references projects (id) on delete cascade,
    code         text     not null,
    significance smallint not null check (significance between 0 and 4),
    primary key (project_id, code)
);

create index project_policy_markers_code on project_policy_markers (code, significance);

-- A result is read and replaced whole (PUT replaces its full state, events carry it whole), so its
-- indicators, references, baselines and periods are one jsonb document rather than four child tables.
-- Values are JSON numbers, which jsonb keeps as numeric: exact, never binary floating point.
create table results (
    id          uuid primary key,
    version     int         not null,
    project_id  uuid        not null references projects (id),
    ngo_id      uuid        not null references ngos (id),
    type        text        not null check (type in ('output', 'outcome', 'impact', 'other')),
    title       text        not null,
    description text,
    indicators  jsonb       not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create index results_project on results (project_id, created_at, id);
