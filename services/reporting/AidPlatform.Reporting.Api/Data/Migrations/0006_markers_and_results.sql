-- A project's IATI policy markers, replaced as a whole with its newer states like its sectors and locations.
create table project_policy_markers (
    project_id   uuid not null references projects (id) on delete cascade,
    code         text not null,
    significance int  not null,
    primary key (project_id, code)
);

create index project_policy_markers_code on project_policy_markers (code, significance);

-- The IATI PolicyMarker names, seeded at start-up like the province and sector labels.
create table policy_marker_labels (
    code text primary key,
    name text not null
);

-- A project's results as the registry last stated them (newest version wins); the project may arrive later,
-- so there is no foreign key to projects.
create table results (
    id          uuid primary key,
    version     int  not null,
    project_id  uuid not null,
    ngo_id      uuid not null,
    type        text not null,
    title       text not null,
    description text
);

create index results_project on results (project_id);
create index results_ngo on results (ngo_id);

-- A result's indicators, numbered in the order the registry gave them.
create table result_indicators (
    result_id        uuid    not null references results (id) on delete cascade,
    indicator_no     int     not null,
    title            text    not null,
    description      text,
    measure          text    not null,
    ascending        boolean not null,
    baseline_year    int     not null,
    baseline_value   numeric,
    baseline_comment text,
    primary key (result_id, indicator_no)
);

create table indicator_references (
    result_id    uuid not null,
    indicator_no int  not null,
    vocabulary   text not null,
    code         text not null,
    primary key (result_id, indicator_no, vocabulary, code),
    foreign key (result_id, indicator_no) references result_indicators (result_id, indicator_no) on delete cascade
);

create index indicator_references_code on indicator_references (vocabulary, code);

-- An indicator's periods; province_code as the partner gave it (a former code reads as its current unit).
create table indicator_periods (
    result_id      uuid not null,
    indicator_no   int  not null,
    period_no      int  not null,
    start_date     date not null,
    end_date       date not null,
    target_value   numeric,
    target_comment text,
    actual_value   numeric,
    actual_comment text,
    province_code  text,
    primary key (result_id, indicator_no, period_no),
    foreign key (result_id, indicator_no) references result_indicators (result_id, indicator_no) on delete cascade
);
