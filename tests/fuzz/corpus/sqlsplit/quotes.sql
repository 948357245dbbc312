SELECT 'a;b''c', "x;""y", E'\';', $$;$$, $t$ $$ ; $t$, $1;
/* a /* b */ ; */ -- ;
SELECT 2