#!/bin/sh
# Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d):
# one database per subgraph, each owned by a login role that only that subgraph uses, and
# closed to every other role. Names and passwords come from the postgres service's
# environment (docker-compose.yml, .env).
: "${FEDTASKS_USERS_DB:?name of the users database}"
: "${FEDTASKS_USERS_DB_PASSWORD:?password of the users database role}"
: "${FEDTASKS_TASKS_DB:?name of the tasks database}"
: "${FEDTASKS_TASKS_DB_PASSWORD:?password of the tasks database role}"

fedtasks_create_database() {
    psql --no-psqlrc --set ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
        --dbname postgres --set name="$1" --set password="$2" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
}

fedtasks_create_database "$FEDTASKS_USERS_DB" "$FEDTASKS_USERS_DB_PASSWORD"
fedtasks_create_database "$FEDTASKS_TASKS_DB" "$FEDTASKS_TASKS_DB_PASSWORD"
