"""Hand-written names of today's arrivals in NRW, in their own script and as written in passports.

Each entry is `script:latin` where the script is not Latin, or the name alone where it is. Two
words of one name are joined by `_`. Weights follow the shares of first asylum applications and
arrivals under temporary protection in NRW 2022-2025 (BAMF, IT.NRW), rounded; EU citizens from
Romania and Bulgaria are many among newly arrived pupils. Only plausible, common names: no real
public figures on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ankommen.people.models import ResidenceStatus

_UKRAINIAN_MALE = """
Олександр:Oleksandr Андрій:Andrii Дмитро:Dmytro Сергій:Serhii Олег:Oleh Іван:Ivan Микола:Mykola
Віктор:Viktor Юрій:Yurii Василь:Vasyl Володимир:Volodymyr Максим:Maksym Артем:Artem Богдан:Bohdan
Тарас:Taras Ярослав:Yaroslav Євген:Yevhen Михайло:Mykhailo Петро:Petro Роман:Roman Денис:Denys
Назар:Nazar Остап:Ostap Степан:Stepan Павло:Pavlo Григорій:Hryhorii Ілля:Illia Матвій:Matvii
Данило:Danylo Кирило:Kyrylo Тимофій:Tymofii Владислав:Vladyslav Олексій:Oleksii Вадим:Vadym
"""
_UKRAINIAN_FEMALE = """
Олена:Olena Ольга:Olha Наталія:Nataliia Тетяна:Tetiana Ірина:Iryna Світлана:Svitlana Оксана:Oksana
Юлія:Yuliia Марія:Mariia Анна:Anna Катерина:Kateryna Людмила:Liudmyla Галина:Halyna Вікторія:Viktoriia
Надія:Nadiia Софія:Sofiia Дарина:Daryna Анастасія:Anastasiia Валентина:Valentyna Лариса:Larysa
Інна:Inna Алла:Alla Зоряна:Zoriana Соломія:Solomiia Христина:Khrystyna Мирослава:Myroslava
Богдана:Bohdana Вероніка:Veronika Поліна:Polina Аліна:Alina Ксенія:Kseniia Єлизавета:Yelyzaveta
Діана:Diana Злата:Zlata Уляна:Uliana Яна:Yana Любов:Liubov
"""
_UKRAINIAN_FAMILY = """
Шевченко:Shevchenko Коваленко:Kovalenko Бондаренко:Bondarenko Ткаченко:Tkachenko Кравченко:Kravchenko
Олійник:Oliinyk Шевчук:Shevchuk Коваль:Koval Поліщук:Polishchuk Бойко:Boiko Ткачук:Tkachuk
Мельник:Melnyk Лисенко:Lysenko Марченко:Marchenko Руденко:Rudenko Савченко:Savchenko Петренко:Petrenko
Клименко:Klymenko Павленко:Pavlenko Мороз:Moroz Кузьменко:Kuzmenko Гончаренко:Honcharenko
Левченко:Levchenko Харченко:Kharchenko Романенко:Romanenko Кравчук:Kravchuk Савчук:Savchuk
Зінченко:Zinchenko Литвиненко:Lytvynenko Карпенко:Karpenko Остапенко:Ostapenko Гаврилюк:Havryliuk
Мазур:Mazur Іваненко:Ivanenko Ковальський:Kovalskyi Вишневський:Vyshnevskyi Грищенко:Hryshchenko
"""

_RUSSIAN_MALE = """
Александр:Aleksandr Алексей:Aleksei Дмитрий:Dmitrii Сергей:Sergei Андрей:Andrei Михаил:Mikhail
Иван:Ivan Николай:Nikolai Владимир:Vladimir Евгений:Evgenii Максим:Maksim Артём:Artem Павел:Pavel
Роман:Roman Игорь:Igor Олег:Oleg Виктор:Viktor Юрий:Iurii Кирилл:Kirill Денис:Denis Тимур:Timur
Руслан:Ruslan Константин:Konstantin Григорий:Grigorii Степан:Stepan Матвей:Matvei Илья:Ilia
Никита:Nikita Егор:Egor Фёдор:Fedor Вадим:Vadim Антон:Anton Магомед:Magomed Ислам:Islam Ахмед:Akhmed
"""
_RUSSIAN_FEMALE = """
Анна:Anna Мария:Mariia Елена:Elena Ольга:Olga Наталья:Natalia Татьяна:Tatiana Ирина:Irina
Светлана:Svetlana Екатерина:Ekaterina Анастасия:Anastasiia Юлия:Iuliia Дарья:Daria Ксения:Kseniia
Полина:Polina Алёна:Alena Вера:Vera Любовь:Liubov Людмила:Liudmila Галина:Galina Софья:Sofia
Виктория:Viktoriia Валерия:Valeriia Алина:Alina Евгения:Evgeniia Маргарита:Margarita
Вероника:Veronika Кристина:Kristina Надежда:Nadezhda Елизавета:Elizaveta Варвара:Varvara
Мадина:Madina Зарема:Zarema Хава:Khava Амина:Amina
"""
_RUSSIAN_FAMILY = """
Иванов:Ivanov Смирнов:Smirnov Кузнецов:Kuznetsov Попов:Popov Васильев:Vasilev Петров:Petrov
Соколов:Sokolov Михайлов:Mikhailov Новиков:Novikov Фёдоров:Fedorov Морозов:Morozov Волков:Volkov
Алексеев:Alekseev Лебедев:Lebedev Семёнов:Semenov Егоров:Egorov Павлов:Pavlov Козлов:Kozlov
Степанов:Stepanov Николаев:Nikolaev Орлов:Orlov Андреев:Andreev Макаров:Makarov Никитин:Nikitin
Захаров:Zakharov Зайцев:Zaitsev Соловьёв:Solovev Борисов:Borisov Яковлев:Iakovlev Григорьев:Grigorev
Романов:Romanov Алиев:Aliev Магомедов:Magomedov Исаев:Isaev Умаров:Umarov Садулаев:Sadulaev
"""

_BULGARIAN_MALE = """
Георги:Georgi Иван:Ivan Димитър:Dimitar Николай:Nikolay Петър:Petar Христо:Hristo Стефан:Stefan
Йордан:Yordan Тодор:Todor Васил:Vasil Александър:Aleksandar Атанас:Atanas Борис:Boris
Красимир:Krasimir Стоян:Stoyan Мартин:Martin Калоян:Kaloyan Веселин:Veselin Пламен:Plamen Росен:Rosen
Емил:Emil Ангел:Angel Кирил:Kiril Даниел:Daniel Виктор:Viktor Симеон:Simeon Илия:Iliya
Любомир:Lyubomir Валентин:Valentin Асен:Asen Огнян:Ognyan Радослав:Radoslav Мехмед:Mehmed
Юсеин:Yusein Ерол:Erol
"""
_BULGARIAN_FEMALE = """
Мария:Mariya Иванка:Ivanka Елена:Elena Йорданка:Yordanka Пенка:Penka Даниела:Daniela
Виктория:Viktoriya Десислава:Desislava Гергана:Gergana Милена:Milena Цветелина:Tsvetelina
Ралица:Ralitsa Теодора:Teodora Николета:Nikoleta Радостина:Radostina Петя:Petya Силвия:Silviya
Надежда:Nadezhda Габриела:Gabriela Симона:Simona Кристина:Kristina Деница:Denitsa Стефка:Stefka
Снежана:Snezhana Валентина:Valentina Анелия:Aneliya Пламена:Plamena Вяра:Vyara Росица:Rositsa
Емилия:Emiliya Айше:Ayshe Фатме:Fatme
"""
_BULGARIAN_FAMILY = """
Иванов:Ivanov Георгиев:Georgiev Димитров:Dimitrov Петров:Petrov Николов:Nikolov Христов:Hristov
Стоянов:Stoyanov Тодоров:Todorov Илиев:Iliev Василев:Vasilev Атанасов:Atanasov Петков:Petkov
Ангелов:Angelov Йорданов:Yordanov Колев:Kolev Маринов:Marinov Попов:Popov Стефанов:Stefanov
Кирилов:Kirilov Михайлов:Mihaylov Костов:Kostov Радев:Radev Янев:Yanev Асенов:Asenov
Симеонов:Simeonov Цветков:Tsvetkov Пеев:Peev Добрев:Dobrev Славов:Slavov Методиев:Metodiev
Алиев:Aliev Мехмедов:Mehmedov Юсеинов:Yuseinov Асанов:Asanov
"""

_ARABIC_MALE = """
محمد:Mohammad أحمد:Ahmad محمود:Mahmoud علي:Ali عمر:Omar خالد:Khaled حسن:Hassan حسين:Hussein
يوسف:Yousef إبراهيم:Ibrahim مصطفى:Mustafa عبدالله:Abdullah عبدالرحمن:Abdulrahman سامر:Samer رامي:Rami
وائل:Wael باسل:Basel طارق:Tarek زياد:Ziad فادي:Fadi ماهر:Maher نبيل:Nabil جمال:Jamal كريم:Karim
آدم:Adam يزن:Yazan ليث:Laith عمار:Ammar حمزة:Hamza بلال:Bilal أنس:Anas مازن:Mazen سليمان:Suleiman
"""
_ARABIC_FEMALE = """
فاطمة:Fatima عائشة:Aisha مريم:Maryam زينب:Zainab نور:Nour سارة:Sara ليلى:Layla رنا:Rana هبة:Heba
ريم:Reem لمى:Lama دعاء:Duaa آية:Aya رغد:Raghad ياسمين:Yasmin أمل:Amal هدى:Huda سلمى:Salma جنى:Jana
شهد:Shahd بتول:Batoul رهف:Rahaf سماح:Samah نادية:Nadia منى:Mona خديجة:Khadija أسماء:Asmaa ديما:Dima
لين:Leen حلا:Hala غنى:Ghina ملك:Malak تسنيم:Tasnim
"""
_SYRIAN_FAMILY = """
الأحمد:Al-Ahmad الحسن:Al-Hassan الخطيب:Al-Khatib الحلبي:Al-Halabi المصري:Al-Masri الشامي:Al-Shami
العلي:Al-Ali الحسين:Al-Hussein الحمصي:Al-Homsi الإدلبي:Al-Idlibi الديري:Al-Deiri الرفاعي:Al-Rifai
الزعبي:Al-Zoubi الحريري:Al-Hariri العبدالله:Al-Abdullah السيد:Al-Sayed حداد:Haddad نجار:Najjar
خليل:Khalil حمدان:Hamdan سليمان:Suleiman يوسف:Yousef إبراهيم:Ibrahim عثمان:Othman قاسم:Qasim
صالح:Saleh درويش:Darwish شيخو:Sheikho حسو:Hasso عيسى:Issa موسى:Mousa الجاسم:Al-Jasim
المحمد:Al-Mohammad بكور:Bakour قدور:Kaddour
"""
_IRAQI_MALE_EXTRA = "حيدر:Haider مرتضى:Murtada عباس:Abbas قاسم:Qasim"
_IRAQI_FAMILY = """
الجبوري:Al-Jubouri العبيدي:Al-Obaidi الدليمي:Al-Dulaimi التميمي:Al-Tamimi الساعدي:Al-Saadi
الموسوي:Al-Mousawi الحسيني:Al-Husseini الربيعي:Al-Rubaie الشمري:Al-Shammari الكبيسي:Al-Kubaisi
الخفاجي:Al-Khafaji الزبيدي:Al-Zubaidi العزاوي:Al-Azzawi الجنابي:Al-Janabi البياتي:Al-Bayati
الطائي:Al-Taie الكعبي:Al-Kaabi العامري:Al-Amiri السامرائي:Al-Samarrai النعيمي:Al-Nuaimi
الحمداني:Al-Hamdani الأسدي:Al-Asadi اللامي:Al-Lami الكردي:Al-Kurdi خضر:Khidir حسن:Hassan
مراد:Murad بركات:Barakat سعيد:Said عيدو:Eido شمو:Shammo
"""

# Dari and Farsi are written with the Persian letters ی and ک, not the Arabic ي and ك.
_AFGHAN_MALE = """
محمد:Mohammad احمد:Ahmad علی:Ali حسین:Hussain مصطفی:Mustafa حمید:Hamid جاوید:Javid فرید:Farid
نوید:Navid سهراب:Sohrab بشیر:Bashir نجیب:Najib شریف:Sharif قادر:Qadir رحیم:Rahim کریم:Karim
عارف:Aref ناصر:Naser جمشید:Jamshid فرهاد:Farhad امید:Omid مجید:Majid ذبیح:Zabih عزیز:Aziz
ادریس:Idris یوسف:Yousuf یونس:Yunus حامد:Hamed الیاس:Ilyas مرتضی:Murtaza سجاد:Sajjad خالد:Khalid
شفیق:Shafiq وحید:Wahid
"""
_AFGHAN_FEMALE = """
فاطمه:Fatima مریم:Maryam زهرا:Zahra شبنم:Shabnam فرشته:Fereshta نرگس:Nargis پروین:Parwin
ملالی:Malalai زینب:Zainab لیلا:Laila سحر:Sahar حمیرا:Humaira نازنین:Nazanin فریده:Farida ثریا:Soraya
منیژه:Manizha شکیلا:Shakila مرسل:Mursal ستاره:Setara نسرین:Nasrin هما:Homa ژیلا:Zhila مژگان:Mozhgan
فرزانه:Farzana رویا:Roya مینا:Mina صدیقه:Sediqa عایشه:Aisha خدیجه:Khadija آرزو:Arezo بهاره:Bahara
"""
_AFGHAN_FAMILY = """
احمدی:Ahmadi رحیمی:Rahimi حکیمی:Hakimi نوری:Noori محمدی:Mohammadi حیدری:Haidari رسولی:Rasuli صافی:Safi
پوپل:Popal کریمی:Karimi عزیزی:Azizi هاشمی:Hashimi قادری:Qaderi سلطانی:Sultani نظری:Nazari جعفری:Jafari
حسینی:Hosseini رضایی:Rezaei اکبری:Akbari یوسفی:Yousufi امیری:Amiri شریفی:Sharifi فاروقی:Farooqi
وردک:Wardak ستانکزی:Stanekzai احمدزی:Ahmadzai مومند:Momand بارکزی:Barakzai نیازی:Niazi صدیقی:Siddiqi
عثمانی:Osmani مرادی:Moradi سادات:Sadat
"""

_IRANIAN_MALE = """
علی:Ali محمد:Mohammad حسین:Hossein رضا:Reza مهدی:Mehdi امیر:Amir سعید:Saeed حمید:Hamid مجید:Majid
بهرام:Bahram داریوش:Dariush کوروش:Kourosh آرش:Arash بابک:Babak پویا:Pouya سینا:Sina کیان:Kian
آرین:Arian میلاد:Milad نیما:Nima امید:Omid فرهاد:Farhad پیمان:Peyman کامران:Kamran مهران:Mehran
شهرام:Shahram بهنام:Behnam ایمان:Iman یاسین:Yasin ماهان:Mahan سهیل:Soheil رامین:Ramin هومن:Houman
"""
_IRANIAN_FEMALE = """
فاطمه:Fatemeh زهرا:Zahra مریم:Maryam سارا:Sara نگار:Negar مهسا:Mahsa نازنین:Nazanin شیرین:Shirin
پریسا:Parisa الهام:Elham لیلا:Leila نیلوفر:Niloufar مینا:Mina سمیرا:Samira آزاده:Azadeh بهاره:Bahareh
رویا:Roya ترانه:Taraneh یاسمن:Yasaman هستی:Hasti آوا:Ava ستایش:Setayesh کیمیا:Kimia فرشته:Fereshteh
مهناز:Mahnaz شهلا:Shahla پروانه:Parvaneh گلناز:Golnaz آیدا:Aida نسترن:Nastaran سحر:Sahar
"""
_IRANIAN_FAMILY = """
محمدی:Mohammadi حسینی:Hosseini احمدی:Ahmadi رضایی:Rezaei موسوی:Mousavi کریمی:Karimi جعفری:Jafari
صادقی:Sadeghi رحیمی:Rahimi کاظمی:Kazemi قاسمی:Ghasemi حیدری:Heidari اکبری:Akbari نوری:Nouri
شریفی:Sharifi تهرانی:Tehrani اصفهانی:Esfahani شیرازی:Shirazi تبریزی:Tabrizi نجفی:Najafi
ابراهیمی:Ebrahimi یزدانی:Yazdani فرهادی:Farhadi سلیمانی:Soleimani باقری:Bagheri امینی:Amini
خسروی:Khosravi زارعی:Zarei طاهری:Taheri مرادی:Moradi عباسی:Abbasi
"""

_TURKISH_MALE = """
Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman
Abdullah Mahmut Emre Burak Serkan Kadir Yasin Furkan Enes Eymen Barış Oğuz Tolga Uğur Kerem Şahin
Doğan Cem Mert Yiğit Aras Miraç
"""
_TURKISH_FEMALE = """
Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Özlem Yasemin Esra Büşra
Gül Songül Derya Sevgi Gülsüm Hülya Nur Ebru Tuğba Şeyma Defne Ecrin Azra Nisa Irmak Eylül Asya Duygu
Dilek
"""
_TURKISH_FAMILY = """
Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara
Koç Kurt Özkan Şimşek Polat Korkmaz Özcan Çakır Yavuz Can Acar Aksoy Güneş Bulut Keskin Tekin Ateş
Aktaş Kaplan Ünal Güler Bozkurt Zengin Tunç
"""

# Romanian with the comma-below letters ș and ț (U+0219, U+021B), as the standard prescribes.
_ROMANIAN_MALE = """
Ion Gheorghe Constantin Vasile Alexandru Andrei Mihai Ștefan Florin Marian Nicolae Daniel Adrian
Cristian Ionuț Gabriel Marius Cătălin Răzvan Bogdan Sorin Dumitru Petru Vlad Costel Dănuț Iulian
Lucian Sebastian Darius Luca Matei David Eduard
"""
_ROMANIAN_FEMALE = """
Maria Elena Ioana Ana Mihaela Andreea Cristina Daniela Gabriela Alexandra Florentina Nicoleta
Georgiana Ramona Roxana Larisa Alina Simona Bianca Denisa Mădălina Irina Ionela Elisabeta Ștefania
Sofia Daria Antonia Raluca Petronela Loredana Anișoara Viorica
"""
_ROMANIAN_FAMILY = """
Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Constantin Rusu Mihai
Munteanu Lungu Florea Marin Dinu Tudor Moldovan Ungureanu Mocanu Toma Ștefan Bălan Dobre Nistor Păun
Bărbulescu Țurcanu Lăcătuș Căldăraru Rădulescu Niță Șerban
"""

_GUINEAN_MALE = """
Mamadou Alpha Ibrahima Amadou Ousmane Abdoulaye Boubacar Mohamed Sékou Lansana Moussa Souleymane
Thierno Elhadj Mamady Alhassane Aboubacar Oumar Ismaël Saïdou Abdourahmane Mory Fodé Karamoko Sidiki
Daouda Cellou Djibril Younoussa Lamine Aliou Bakary
"""
_GUINEAN_FEMALE = """
Fatoumata Mariama Aïssatou Kadiatou Hawa Aminata Fanta Oumou Djénabou Binta Saran Fatou Ramatoulaye
Hadiatou Assiatou Adama Mabinty Awa Safiatou Halimatou Ramata Sira Mahawa Nantènin Kankou Korka
Tenin Salimatou Habibatou Diaraye Koumba Bintou Aïcha
"""
_GUINEAN_FAMILY = """
Diallo Barry Bah Sow Camara Condé Touré Keïta Soumah Sylla Baldé Diakité Kourouma Cissé Traoré Kaba
Kanté Bangoura Fofana Konaté Doumbouya Sangaré Sacko Kouyaté Souaré Dramé Yattara Oularé Chérif
Sidibé
"""

_NIGERIAN_MALE = """
Chukwuemeka Oluwaseun Emeka Chinedu Ifeanyi Tunde Adebayo Babatunde Olumide Segun Obinna Nnamdi
Ikenna Uchenna Kelechi Musa Ibrahim Abubakar Usman Sani Yusuf Daniel Samuel Emmanuel Godwin Victor
Femi Kayode Chidi Ebuka Osagie Efosa Osaze
"""
_NIGERIAN_FEMALE = """
Ngozi Chioma Adaeze Chiamaka Ifeoma Nkechi Amaka Funmilayo Folake Yetunde Bisola Temitope Aisha
Fatima Hauwa Zainab Blessing Precious Joy Mercy Favour Grace Esther Osas Efe Ivie Chinwe Uju Adaora
Ebere Ijeoma Nneka
"""
_NIGERIAN_FAMILY = """
Okafor Okonkwo Eze Nwosu Obi Okeke Nwachukwu Adeyemi Adebayo Ogunleye Olawale Balogun Oladipo Akinola
Bello Abubakar Musa Ibrahim Mohammed Usman Osagie Omoregie Igbinedion Osaghae Ehigiator Aigbe Okoro
Uzor Chukwu Onyeka Ogundipe Adewale Edet Effiong
"""

# Somali is written in Latin letters (x for ħ, c for ʿ); passports often spell the names otherwise.
_SOMALI_MALE = """
Maxamed:Mohamed Cabdiraxmaan:Abdirahman Xuseen:Hussein Cali:Ali Axmed:Ahmed Faarax:Farah Cumar:Omar
Yuusuf:Yusuf Ismaaciil:Ismail Ibraahim:Ibrahim Xasan:Hassan Maxamuud:Mohamud Cabdullaahi:Abdullahi
Mustafe Bashiir:Bashir Jaamac:Jama Warsame Guuleed:Guled Aadan:Adan Nuur:Nur Shariif:Sharif
Siciid:Said Khaalid:Khalid Sahal Liibaan:Liban Mahad Cabdiqaadir:Abdikadir Xamza:Hamza Cabdi:Abdi
Yaasiin:Yasin Mowliid:Mowlid
"""
_SOMALI_FEMALE = """
Faadumo:Fadumo Caasha:Asha Xaliimo:Halima Hodan Ifrah Sahra Maryan Hibaaq:Hibak Ubah Nimco:Nimo Idil
Aamino:Amina Khadra Ruun Sucaad:Suad Deeqa:Deka Filsan Nasra Samira Ikraan:Ikran Fartuun:Fartun
Najma Sagal Xaawo:Hawo Qamar Ladan Ilhaan:Ilhan Hamdi Muna Istar
"""

# Tigrinya in Ge'ez script; the family name is the father's given name.
_ERITREAN_MALE = """
ዮናስ:Yonas ዳንኤል:Daniel ዮሃንስ:Yohannes ሳሙኤል:Samuel ፊልሞን:Filmon መርሃዊ:Merhawi ተስፋይ:Tesfay
ሃብቶም:Habtom ኪዳነ:Kidane ብርሃነ:Berhane ሚካኤል:Mikael ዓወት:Awet ኤርምያስ:Ermias ሄኖክ:Henok
ናትናኤል:Natnael ሮቤል:Robel ጎይትኦም:Goitom ሃይለ:Haile ተኽለ:Tekle ዘርኣይ:Zerai ኣማኑኤል:Amanuel
ቢንያም:Biniam ፍጹም:Fitsum ክብሮም:Kibrom ኣብርሃም:Abraham ዮሴፍ:Yosef ጸጋይ:Tsegay ተወልደ:Tewelde
መሓሪ:Mehari ዳዊት:Dawit ሰሎሞን:Solomon ጴጥሮስ:Petros የማነ:Yemane
"""
_ERITREAN_FEMALE = """
ሰላም:Selam ሳባ:Saba ኤደን:Eden ሉዋም:Luwam ሰናይት:Senait ሄለን:Helen ሰምሃር:Semhar ፍዮሪ:Fiori ሩታ:Ruta
ዮርዳኖስ:Yordanos ሊድያ:Lidya ሃና:Hana ኤልሳ:Elsa ሜሮን:Meron ቤተልሄም:Betelhem ሶሊያና:Soliana ጽጌ:Tsige
ኣብረኸት:Abrehet ማርታ:Marta ማርያም:Mariam ኣስቴር:Aster ትርሓስ:Tirhas ኣኽበረት:Akberet ፍረወይኒ:Freweini
ሳምራዊት:Samrawit ኣዜብ:Azeb ሙሉ:Mulu ጸሃይ:Tsehay ናርዶስ:Nardos ቅድስቲ:Kidisti ሳሮን:Saron
"""

_GEORGIAN_MALE = """
გიორგი:Giorgi დავით:Davit ლევან:Levan ნიკა:Nika ლაშა:Lasha ირაკლი:Irakli ზურაბ:Zurab
ალექსანდრე:Aleksandre ლუკა:Luka სანდრო:Sandro ნიკოლოზ:Nikoloz მიხეილ:Mikheil თორნიკე:Tornike ბექა:Beka
გურამ:Guram თემურ:Temur ვახტანგ:Vakhtang შოთა:Shota ოთარ:Otar მამუკა:Mamuka კახა:Kakha ზაზა:Zaza
გელა:Gela დათო:Dato ილია:Ilia ვანო:Vano რევაზ:Revaz ნოდარ:Nodar ბესიკ:Besik ლადო:Lado გოჩა:Gocha
"""
_GEORGIAN_FEMALE = """
ნინო:Nino მარიამ:Mariam ანა:Ana თამარ:Tamar ეკატერინე:Ekaterine ნატო:Nato სალომე:Salome ელენე:Elene
ქეთევან:Ketevan ნანა:Nana მაკა:Maka ლიკა:Lika თეონა:Teona ნათია:Natia ხატია:Khatia სოფო:Sopo
ნინი:Nini ლელა:Lela მზია:Mzia ია:Ia თინათინ:Tinatin ნესტან:Nestan მანანა:Manana ეკა:Eka ლალი:Lali
ნუცა:Nutsa გვანცა:Gvantsa ბარბარე:Barbare ანანო:Anano დიანა:Diana ლია:Lia
"""
_GEORGIAN_FAMILY = """
ბერიძე:Beridze კაპანაძე:Kapanadze გელაშვილი:Gelashvili მაისურაძე:Maisuradze გიორგაძე:Giorgadze
ლომიძე:Lomidze წიკლაური:Tsiklauri ნიკოლაძე:Nikoladze ხუციშვილი:Khutsishvili ჯაფარიძე:Japaridze
ბოლქვაძე:Bolkvadze კვარაცხელია:Kvaratskhelia ჩხეიძე:Chkheidze აბაშიძე:Abashidze მელაძე:Meladze
ქავთარაძე:Kavtaradze ნადირაძე:Nadiradze ტაბატაძე:Tabatadze ხარაიშვილი:Kharaishvili გოგოლაძე:Gogoladze
სურმანიძე:Surmanidze დავითაშვილი:Davitashvili კიკნაძე:Kiknadze შენგელია:Shengelia ცხადაძე:Tskhadadze
ჯანელიძე:Janelidze მჭედლიშვილი:Mchedlishvili ბაქრაძე:Bakradze ჩიქოვანი:Chikovani ყიფიანი:Kipiani
მესხი:Meskhi ღლონტი:Ghlonti
"""

STREETS = (
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Gartenstraße",
    "Kirchstraße",
    "Lindenstraße",
    "Bergstraße",
    "Waldstraße",
    "Ringstraße",
    "Mühlenweg",
    "Jahnstraße",
    "Goethestraße",
    "Schillerstraße",
    "Birkenweg",
    "Rosenstraße",
    "Poststraße",
    "Wiesenweg",
    "Feldstraße",
    "Mozartstraße",
    "Friedrichstraße",
    "Marktstraße",
    "Am Sportplatz",
    "Industriestraße",
    "Parkstraße",
    "Blumenstraße",
    "Eichendorffstraße",
    "Beethovenstraße",
    "Kölner Straße",
    "Dortmunder Straße",
    "Am Bahnhof",
)


@dataclass(frozen=True)
class Name:
    written: str
    latin: str  # empty when the name is written in Latin letters already, as the passport shows it


def parse_names(text: str) -> tuple[Name, ...]:
    names = []
    for entry in text.split():
        written, _, latin = entry.partition(":")
        names.append(Name(written.replace("_", " "), latin.replace("_", " ")))
    return tuple(names)


@dataclass(frozen=True)
class Origin:
    """A country of origin: how common it is among arrivals, its names, languages and residence status."""

    country: str  # ISO 3166 alpha-2
    weight: int
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    languages: tuple[str, ...]  # ISO 639: the first is always spoken, the others by some families
    residence: dict[str, int]
    # Slavic family names have a feminine form (-ов/-ова, -ський/-ська).
    feminine_family_names: bool = False
    # Years since which most people from here arrive (Ukraine: since the war began in 2022).
    arrivals_since: int = 2022
    extra_language_share: float = 0.3
    extra_names: dict[str, tuple[Name, ...]] = field(default_factory=dict)


_RS = ResidenceStatus

ORIGINS: tuple[Origin, ...] = (
    Origin(
        "UA",
        30,
        parse_names(_UKRAINIAN_MALE),
        parse_names(_UKRAINIAN_FEMALE),
        parse_names(_UKRAINIAN_FAMILY),
        ("uk", "ru"),
        {_RS.TEMPORARY_PROTECTION: 95, _RS.OTHER_PERMIT: 5},
        feminine_family_names=True,
        extra_language_share=0.4,
    ),
    Origin(
        "SY",
        14,
        parse_names(_ARABIC_MALE),
        parse_names(_ARABIC_FEMALE),
        parse_names(_SYRIAN_FAMILY),
        ("ar", "ku"),
        {_RS.SUBSIDIARY_PROTECTION: 45, _RS.REFUGEE: 35, _RS.ASYLUM_PROCEDURE: 15, _RS.TOLERATED: 5},
        extra_language_share=0.15,
    ),
    Origin(
        "AF",
        9,
        parse_names(_AFGHAN_MALE),
        parse_names(_AFGHAN_FEMALE),
        parse_names(_AFGHAN_FAMILY),
        ("prs", "ps"),
        {
            _RS.ASYLUM_PROCEDURE: 40,
            _RS.REFUGEE: 20,
            _RS.SUBSIDIARY_PROTECTION: 15,
            _RS.TOLERATED: 15,
            _RS.OTHER_PERMIT: 10,
        },
        extra_language_share=0.35,
    ),
    Origin(
        "TR",
        9,
        parse_names(_TURKISH_MALE),
        parse_names(_TURKISH_FEMALE),
        parse_names(_TURKISH_FAMILY),
        ("tr", "ku"),
        {_RS.ASYLUM_PROCEDURE: 70, _RS.TOLERATED: 15, _RS.REFUGEE: 10, _RS.OTHER_PERMIT: 5},
    ),
    Origin(
        "RO",
        8,
        parse_names(_ROMANIAN_MALE),
        parse_names(_ROMANIAN_FEMALE),
        parse_names(_ROMANIAN_FAMILY),
        ("ro", "rom"),
        {_RS.EU_CITIZEN: 100},
        extra_language_share=0.2,
        arrivals_since=2021,
    ),
    Origin(
        "BG",
        6,
        parse_names(_BULGARIAN_MALE),
        parse_names(_BULGARIAN_FEMALE),
        parse_names(_BULGARIAN_FAMILY),
        ("bg", "tr"),
        {_RS.EU_CITIZEN: 100},
        feminine_family_names=True,
        arrivals_since=2021,
    ),
    Origin(
        "IQ",
        5,
        parse_names(_ARABIC_MALE + _IRAQI_MALE_EXTRA),
        parse_names(_ARABIC_FEMALE),
        parse_names(_IRAQI_FAMILY),
        ("ar", "ckb"),
        {_RS.ASYLUM_PROCEDURE: 40, _RS.TOLERATED: 25, _RS.SUBSIDIARY_PROTECTION: 20, _RS.REFUGEE: 15},
    ),
    Origin(
        "GN",
        3,
        parse_names(_GUINEAN_MALE),
        parse_names(_GUINEAN_FEMALE),
        parse_names(_GUINEAN_FAMILY),
        ("fr", "ff", "sus"),
        {_RS.ASYLUM_PROCEDURE: 50, _RS.TOLERATED: 40, _RS.OTHER_PERMIT: 10},
        extra_language_share=0.8,
    ),
    Origin(
        "IR",
        3,
        parse_names(_IRANIAN_MALE),
        parse_names(_IRANIAN_FEMALE),
        parse_names(_IRANIAN_FAMILY),
        ("fa",),
        {_RS.ASYLUM_PROCEDURE: 45, _RS.REFUGEE: 35, _RS.SUBSIDIARY_PROTECTION: 10, _RS.TOLERATED: 10},
    ),
    Origin(
        "RU",
        3,
        parse_names(_RUSSIAN_MALE),
        parse_names(_RUSSIAN_FEMALE),
        parse_names(_RUSSIAN_FAMILY),
        ("ru", "ce"),
        {_RS.ASYLUM_PROCEDURE: 60, _RS.REFUGEE: 15, _RS.OTHER_PERMIT: 15, _RS.TOLERATED: 10},
        feminine_family_names=True,
        extra_language_share=0.15,
    ),
    Origin(
        "ER",
        2,
        parse_names(_ERITREAN_MALE),
        parse_names(_ERITREAN_FEMALE),
        parse_names(_ERITREAN_MALE),
        ("ti", "ar"),
        {_RS.REFUGEE: 60, _RS.SUBSIDIARY_PROTECTION: 25, _RS.ASYLUM_PROCEDURE: 15},
        extra_language_share=0.1,
    ),
    Origin(
        "SO",
        2,
        parse_names(_SOMALI_MALE),
        parse_names(_SOMALI_FEMALE),
        parse_names(_SOMALI_MALE),
        ("so", "ar"),
        {_RS.SUBSIDIARY_PROTECTION: 40, _RS.REFUGEE: 25, _RS.ASYLUM_PROCEDURE: 25, _RS.TOLERATED: 10},
        extra_language_share=0.2,
    ),
    Origin(
        "NG",
        2,
        parse_names(_NIGERIAN_MALE),
        parse_names(_NIGERIAN_FEMALE),
        parse_names(_NIGERIAN_FAMILY),
        ("en", "yo", "ig", "pcm"),
        {_RS.ASYLUM_PROCEDURE: 45, _RS.TOLERATED: 45, _RS.OTHER_PERMIT: 10},
        extra_language_share=0.7,
    ),
    Origin(
        "GE",
        2,
        parse_names(_GEORGIAN_MALE),
        parse_names(_GEORGIAN_FEMALE),
        parse_names(_GEORGIAN_FAMILY),
        ("ka", "ru"),
        {_RS.ASYLUM_PROCEDURE: 60, _RS.TOLERATED: 40},
        extra_language_share=0.3,
    ),
)

_FEMININE_ENDINGS = (
    # (masculine, feminine) in the script, then in Latin letters; longest endings first.
    ("ський", "ська"),
    ("цький", "цька"),
    ("skyi", "ska"),
    ("tskyi", "tska"),
    ("ски", "ска"),
    ("ов", "ова"),
    ("ев", "ева"),
    ("ёв", "ёва"),
    ("ин", "ина"),
    ("ov", "ova"),
    ("ev", "eva"),
    ("in", "ina"),
)


def feminine_form(name: Name) -> Name:
    def convert(word: str) -> str:
        for masculine, feminine in _FEMININE_ENDINGS:
            if word.endswith(masculine):
                return word[: -len(masculine)] + feminine
        return word

    return Name(convert(name.written), convert(name.latin))
