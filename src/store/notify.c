/*
 * notify: LISTEN and NOTIFY on the fixed channels of statements.c. The
 * non-blocking read that collects notifications is db_poll_notifications
 * in db.c, which owns the connection.
 */
#include "common/common.h"
#include "store/internal.h"

int
db_listen(struct db *db, enum db_channel ch)
{
	if ((unsigned)ch >= DB_CHANNEL_COUNT)
		return PERR_INTERNAL;
	return db_exec(db, db_channels[ch].listen, NULL, NULL);
}

int
db_notify(struct db *db, enum db_channel ch)
{
	if ((unsigned)ch >= DB_CHANNEL_COUNT)
		return PERR_INTERNAL;
	return db_exec(db, db_channels[ch].notify, NULL, NULL);
}
