"""A new user's first file, as people type one: 16 lines, messy.

Saved from a spreadsheet on Windows (Windows-1252: 'Renée' is one byte 0xE9 once encoded),
with a blank row, UK customers (phone and postcode), one woman entered twice by different
staff (Sarah Connor / Sara Conner: same phone, birth date and address, different email), a
row with a broken email and date, a phone that is not one, and a duplicate typed differently.
Used by the hostile-file tests and the cold-start benchmark; write it with
`CONTACTS.encode("cp1252")`.
"""

CONTACTS = "\n".join([
    "First Name,Surname,E-mail,Mobile,Street,Zip,DOB",
    "Sarah,Connor,sarah.connor@cyberdyne.com,(512) 555-0142,12 Oak Street,78701,03/14/1965",
    "Sara,Conner,sconner@gmail.com,512-555-0142,12 Oak St.,78701,03/14/1965",
    "  John ,Smith,JOHN.SMITH@Example.COM ,+1 512 555 0199,400 Congress Ave,78701-1234,"
    "1980-07-02",
    "Maria,Garcia,maria.garcia@example.com,5125550177,77 Elm Rd,78702,12/01/1990",
    "Oliver,Twist,oliver@example.co.uk,+44 7700 900123,10 Downing Street,SW1A 2AA,1985-05-05",
    "",
    "Renée,Dupont,renee.dupont@example.fr,512 555 0123,5 Rue Belle,78703,1975-11-30",
    "Bob,Jones,bob@@example,512-555-0111,9 Pine Ln,78704,13/45/1999",
    "Robert,Jones,bob.jones@example.com,512-555-0111,9 Pine Lane,78704,1970-01-01",
    "Amy,Lee,amy.lee@example.com,,,78705,",
    "Tom,Baker,tom.baker@example.com,07700 900456,1 High St,EC1A 1BB,1962-02-17",
    "Lisa,Wong,LISA.WONG@EXAMPLE.COM,512.555.0166,31 Maple Dr,78706,1988-08-08",
    "Lisa,Wong,lisa.wong@example.com,(512)555-0166,31 Maple Drive,78706,08/08/1988",
    "Carlos,Ruiz,carlos@example.com,not a phone,2 Cedar Ct,78707,1979-04-12",
    "Kim,Park,kim.park@example.com,512-555-0188,8 Birch Way,78708,1992-09-21",
]) + "\n"
