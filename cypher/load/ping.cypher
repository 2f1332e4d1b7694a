// Is the connection up and are we logged in? The first statement of every connection.
RETURN 1 AS ok
