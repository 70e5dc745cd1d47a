#include "sync/server/ServerApp.h"

#include <iostream>

POCO_SERVER_MAIN(berkas::sync::ServerApp)
